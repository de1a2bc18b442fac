"""Events, their invitees, passes and the questions sent before a dialogue meeting."""
