from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale

from app.extensions import db
from app.mail.models import MailMessage
from app.timefmt import utcnow


def send_mail(recipient: str, subject: str, body: str) -> MailMessage:
    """Send a plain-text message now (SMTP) or keep it in the outbox; the caller commits."""
    cfg = current_app.config
    message = MailMessage(
        recipient=recipient, subject=subject, body=body, transport="smtp" if cfg["MAIL_SERVER"] else "outbox"
    )
    db.session.add(message)
    if message.transport == "smtp":
        try:
            _smtp_send(recipient, subject, body)
            message.sent_at = utcnow()
        except (OSError, smtplib.SMTPException) as exc:  # kept with its error; an admin sees it
            current_app.logger.warning("mail to %s failed: %s", recipient, exc)
            message.error = str(exc)[:1000]
    return message


def send_templated(recipient: str, locale: str | None, subject, template: str, **context) -> MailMessage:
    """Render a mail in the recipient's language (their account's, else the default) and send it.

    `subject` is a lazy string (`lazy_gettext`), so that it too is translated for the recipient.
    """
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return send_mail(recipient, str(subject), render_template(template, **context))


def _smtp_send(recipient: str, subject: str, body: str) -> None:
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_DEFAULT_SENDER"]
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    if cfg["MAIL_USE_SSL"]:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            cfg["MAIL_SERVER"], cfg["MAIL_PORT"], context=ssl.create_default_context(), timeout=10
        )
    else:
        server = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10)
    with server:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            server.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            server.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        server.send_message(msg)
