"""What gunicorn serves: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make run``).

gunicorn imports this in each worker after forking it. The master has already done the start-up
work once for all of them (``on_starting`` in gunicorn.conf.py), so a worker only checks the
schema, then starts its own index watcher and referral-deadline clock: a thread started before the fork would not exist in
the worker.
"""

from app import create_app
from app.referral_tasks import start_deadline_clock
from app.search import watcher

app = create_app(prepare=False)
index_watcher = watcher.start(app)
deadline_clock = start_deadline_clock(app)
