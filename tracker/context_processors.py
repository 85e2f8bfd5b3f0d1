from .models import Role
from .notice import DEMO_NOTICE, is_demo
from .permissions import role_of


def user_role(request):
    """The user's role, for the navigation: what to show, never what to allow."""
    user = getattr(request, "user", None)
    role = role_of(user) if user is not None else None
    return {
        "user_is_coordinator": role == Role.COORDINATOR,
        # Everyone logged in exports; coordinators and focal points import (permissions).
        "user_may_import": role in {Role.COORDINATOR, Role.FOCAL_POINT},
        "user_role_label": Role(role).label if role else "",
    }


def demo(request):
    """The demo notice every page shows when settings.DEMO is on (templates/base.html)."""
    return {"demo_notice": DEMO_NOTICE if is_demo() else ""}
