"""The queue contract on real Redis: JSON payloads, deterministic ids, no double enqueue."""

from __future__ import annotations

import json
import zlib

import pytest
import redis
from rq.job import Job
from rq.serializers import JSONSerializer

from ingest.queueing import enqueue_stage, get_queue


def test_enqueue_uses_deterministic_ids_and_json(redis_conn: redis.Redis) -> None:
    payload = {"article_key": "k1", "schema_version": 1}
    assert enqueue_stage(redis_conn, "fetch", "k1", payload) is True
    job = Job.fetch("fetch-k1", connection=redis_conn, serializer=JSONSerializer)
    assert job.func_name == "workers.fetch.job"
    assert list(job.args) == [payload]
    raw = redis_conn.hget("rq:job:fetch-k1", "data")
    assert raw is not None
    # rq compresses job data; underneath it must be JSON, never pickle.
    func, _instance, args, kwargs = json.loads(zlib.decompress(raw))
    assert (func, args, kwargs) == ("workers.fetch.job", [payload], {})


def test_a_pending_job_is_not_enqueued_twice(redis_conn: redis.Redis) -> None:
    payload = {"article_key": "k2", "schema_version": 1}
    assert enqueue_stage(redis_conn, "dedupe", "k2", payload)
    assert not enqueue_stage(redis_conn, "dedupe", "k2", payload)
    assert get_queue(redis_conn, "dedupe").count == 1


def test_unknown_queue_is_refused(redis_conn: redis.Redis) -> None:
    with pytest.raises(ValueError, match="unknown queue"):
        get_queue(redis_conn, "translate")
