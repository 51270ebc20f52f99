from django.urls import path

from attune.care.views import rooms

urlpatterns = [
    path("setup/sites/<uuid:site_id>/rooms", rooms.room_list, name="rooms"),
    path("setup/sites/<uuid:site_id>/rooms/new", rooms.room_new, name="room_new"),
    path("setup/sites/<uuid:site_id>/rooms/<uuid:room_id>", rooms.room_edit, name="room"),
]
