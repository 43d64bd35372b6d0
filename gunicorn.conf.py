"""gunicorn's settings, read from the working directory by `make run` and in production."""
import gunicorn.http.wsgi

# The Server header names no server software. gunicorn has no setting for it (its maintainers
# declined one, benoitc/gunicorn#825) and writes the module's SERVER into every response.
gunicorn.http.wsgi.SERVER = "CodeBoard"
