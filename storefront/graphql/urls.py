from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .core.views import SaleorGraphQLView

urlpatterns = [path("", csrf_exempt(SaleorGraphQLView.as_view(graphiql=True)), name="graphql")]
