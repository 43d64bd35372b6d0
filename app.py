import gc

from jobboard import create_app

app = create_app()
# What the app holds from here on (routes, models, templates, the code vocabularies) lives as
# long as the process: left out of the collector's full passes, which otherwise walked these
# ~150,000 objects every few hundred searches (0.28 ms a search on average, measured).
gc.freeze()
