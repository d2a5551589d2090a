"""The OpenAPI document and the interactive docs page, served without any CDN."""


def test_the_docs_page_loads_swagger_ui_from_this_server(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html and "<script>" not in html
    assert client.get("/api/v1/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert "/api/v1/openapi.json" in client.get("/api/v1/docs/init.js").get_data(as_text=True)
    assert client.get("/api/v1/docs/assets/secrets.txt").status_code == 404


def test_every_error_is_documented_as_problem_details(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and "content" in response:
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
    assert spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]["content"]["application/problem+json"]
