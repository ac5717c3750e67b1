"""A notes service written the ordinary way: Flask, SQLAlchemy on PostgreSQL (pg8000) and on MariaDB
(PyMySQL), and a Redis counter (redis-py). The same file runs on gunicorn and on Corral; each server is
given its own database names by the environment, so both start empty and answer alike.

    NOTES_PG_URL      postgresql+pg8000://user:password@host:port/db
    NOTES_MYSQL_URL   mysql+pymysql://user:password@host:port/db
    NOTES_REDIS_URL   redis://host:port/n
"""
import os

import redis
from flask import Flask, abort, jsonify, request
from sqlalchemy import String, Text, create_engine, exc, func, select, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = 'notes'
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    body: Mapped[str] = mapped_column(Text, default='')

    def as_dict(self):
        return {'id': self.id, 'title': self.title, 'body': self.body}


# A pool per worker, kept between requests: 2 connections, 2 more under bursts, 5 s to get one.
# pool_pre_ping replaces a connection the database closed (a restart) before it is used. Each driver's
# own socket timeouts: a dead address fails within seconds instead of holding the worker.
ENGINES = {
    name: create_engine(os.environ[var], pool_size=2, max_overflow=2, pool_timeout=5, pool_pre_ping=True,
                        connect_args=timeouts)
    for name, var, timeouts in (('pg', 'NOTES_PG_URL', {'timeout': 10}),
                                ('mysql', 'NOTES_MYSQL_URL', {'connect_timeout': 5, 'read_timeout': 10}))
}


def _create_tables(engine):
    # Every worker of every server imports this at once: two CREATE TABLEs can race in the catalog, and
    # the loser's retry finds the table made.
    try:
        Base.metadata.create_all(engine)
    except exc.DBAPIError:
        Base.metadata.create_all(engine)


for engine in ENGINES.values():
    _create_tables(engine)
COUNTERS = redis.Redis.from_url(os.environ['NOTES_REDIS_URL'], socket_connect_timeout=5, socket_timeout=5,
                                decode_responses=True)

app = Flask(__name__)
application = app


def _engine(db):
    if db not in ENGINES:
        abort(404)
    return ENGINES[db]


def _payload():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get('title'), str) or not data['title'].strip():
        abort(400, description='a note needs a non-empty "title"')
    return data


@app.errorhandler(400)
@app.errorhandler(404)
def _client_error(e):
    return jsonify(error=e.description), e.code


@app.post('/<db>/notes')
def create(db):
    data = _payload()
    with Session(_engine(db)) as session, session.begin():
        note = Note(title=data['title'], body=data.get('body', ''))
        session.add(note)
        session.flush()
        return jsonify(note.as_dict()), 201


@app.get('/<db>/notes/<int:note_id>')
def read(db, note_id):
    with Session(_engine(db)) as session:
        note = session.get(Note, note_id)
        if note is None:
            abort(404, description='no note %d' % note_id)
        return jsonify(note.as_dict())


@app.put('/<db>/notes/<int:note_id>')
def update(db, note_id):
    data = _payload()
    with Session(_engine(db)) as session, session.begin():
        note = session.get(Note, note_id)
        if note is None:
            abort(404, description='no note %d' % note_id)
        note.title, note.body = data['title'], data.get('body', note.body)
        return jsonify(note.as_dict())


@app.delete('/<db>/notes/<int:note_id>')
def delete(db, note_id):
    with Session(_engine(db)) as session, session.begin():
        note = session.get(Note, note_id)
        if note is None:
            abort(404, description='no note %d' % note_id)
        session.delete(note)
    done = app.response_class(status=204)
    done.headers.remove('Content-Type')  # a 204 has no content, so no content type (wsgiref.validate checks)
    return done


@app.get('/<db>/notes')
def search(db):
    q = request.args.get('q', '')
    with Session(_engine(db)) as session:
        notes = session.scalars(select(Note).where(Note.title.contains(q)).order_by(Note.id)).all()
        total = session.scalar(select(func.count()).select_from(Note))
        return jsonify(total=total, notes=[n.as_dict() for n in notes])


@app.get('/<db>/sleep')
def sleep(db):
    """A slow query, inside a transaction that has written: a budget that stops it must leave neither behind."""
    seconds = float(request.args.get('s', '1'))
    with Session(_engine(db)) as session, session.begin():
        session.add(Note(title='written before the sleep'))
        session.flush()
        session.execute(text('SELECT pg_sleep(:s)' if db == 'pg' else 'SELECT SLEEP(:s)'), {'s': seconds})
    return jsonify(slept=seconds)


@app.get('/<db>/pool')
def pool(db):
    p = _engine(db).pool
    return jsonify(checked_out=p.checkedout(), size=p.size())


@app.post('/counters/<name>')
def count(name):
    return jsonify(name=name, value=COUNTERS.incr('counter:' + name))


@app.get('/counters/<name>')
def counter(name):
    value = COUNTERS.get('counter:' + name)
    if value is None:
        abort(404, description='no counter %s' % name)
    return jsonify(name=name, value=int(value))
