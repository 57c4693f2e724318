from rest_framework.routers import SimpleRouter

from .views import ActorViewSet, StanceViewSet, TopicViewSet

router = SimpleRouter()
router.register("actors", ActorViewSet, basename="actor")
router.register("topics", TopicViewSet, basename="topic")
router.register("stances", StanceViewSet, basename="stance")
urlpatterns = router.urls
