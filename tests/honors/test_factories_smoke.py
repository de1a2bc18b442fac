from tests.honors.factories import make_honors


def test_make_honors_builds_a_campaign():
    honors = make_honors()
    assert len(honors.eligible()) == 3
    assert honors.bodies[0].has_nominator(honors.nominators[0])
    assert honors.campaign.chair_id == honors.council[0].id
    assert honors.dossiers[0].display_name.startswith("PGS.TS. ")
