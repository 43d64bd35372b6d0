"""Mail: messages written to an outbox with the event that causes them, sent by the worker."""
