from huey.contrib.djhuey import db_task


@db_task(retries=0)
def outbox_send(message_id: int) -> None:
    """Placeholder until the Graph client lands (issue 3)."""
