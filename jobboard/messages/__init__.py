"""Messages: the conversation under each application, and the inbox of them."""
