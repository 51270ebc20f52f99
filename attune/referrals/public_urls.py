
app_name = "refer"
urlpatterns: list = []  # type: ignore[type-arg]
