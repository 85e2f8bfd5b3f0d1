"""Reading the recommendations list as a person does: page after page, by its links."""


def listed(response) -> list:
    """Every recommendation the list matched, in order: this page and each next one,
    followed by the page's own "Next" link (numbered, then ?after=)."""
    rows = []
    while True:
        page = response.context["page"]
        rows += page.object_list
        if not page.has_next:
            return rows
        response = response.client.get(f"{response.request['PATH_INFO']}?{page.next_query}")
        assert response.status_code == 200
