"""The terms of use and the privacy notice a marketplace must publish."""
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def terms(request):
    return render(request, "web/terms.html")


@require_GET
def privacy(request):
    return render(request, "web/privacy.html")
