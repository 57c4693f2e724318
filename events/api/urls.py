from rest_framework.routers import SimpleRouter

from .changes import ChangeViewSet
from .citations import CitationViewSet
from .views import EntryViewSet, EventViewSet, SourceViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="event")
router.register("entries", EntryViewSet, basename="entry")
router.register("sources", SourceViewSet, basename="source")
router.register("citations", CitationViewSet, basename="citation")
router.register("changes", ChangeViewSet, basename="change")
urlpatterns = router.urls
