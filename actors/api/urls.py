from rest_framework.routers import SimpleRouter

from .mentions import MentionViewSet
from .views import ActorViewSet, StanceViewSet, TopicViewSet

router = SimpleRouter()
router.register("actors", ActorViewSet, basename="actor")
router.register("topics", TopicViewSet, basename="topic")
router.register("stances", StanceViewSet, basename="stance")
router.register("mentions", MentionViewSet, basename="mention")
urlpatterns = router.urls
