
app_name = "families"
urlpatterns: list = []  # type: ignore[type-arg]
