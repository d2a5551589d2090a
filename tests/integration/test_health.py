"""The health endpoint reports the database and the event store."""


def test_health_reports_a_migrated_database_and_the_head_of_the_log(client, session):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["migrated"] is True
    assert body["event_store"] == {"events": 0, "head_position": 0}


def test_health_is_503_on_an_unmigrated_database(tmp_path):
    from factlog import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}", "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unmigrated"
