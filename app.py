from jobboard import create_app

app = create_app()
