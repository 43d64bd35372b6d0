from flask_caching import Cache
from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from jobboard import limitstore  # noqa: F401 - registers the sqlite:// storage of limits
from jobboard.database import Base

db = SQLAlchemy(model_class=Base)
cache = Cache()  # figures every process may share (config: CACHE_TYPE)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
# Any site may read the API (GET); nothing else is opened to other origins.
cors = CORS(resources={r"/api/v1/*": {"origins": "*", "methods": ["GET", "HEAD"]}},
            send_wildcard=True, vary_header=False)
