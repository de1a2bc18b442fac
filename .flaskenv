# Read by the flask command on a developer machine; production sets FLASK_CONFIG=production itself.
FLASK_APP=app:create_app
FLASK_CONFIG=development
