from functools import wraps

from flask_login import current_user, login_required

from jobboard.errors import NotAllowed


def role_required(check, message):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                raise NotAllowed(message)
            return view(*args, **kwargs)
        return wrapped
    return decorator


employer_required = role_required(lambda u: u.is_employer, "This page is for employers.")
coder_required = role_required(lambda u: u.is_coder, "This page is for coders.")
admin_required = role_required(lambda u: u.is_admin, "This page is for admins.")
