"""Entry point for production servers: `gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app` (see README)."""

from dotenv import load_dotenv

load_dotenv()  # before the configuration is read

from app import create_app  # noqa: E402

app = create_app()
