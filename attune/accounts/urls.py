from django.urls import path

from attune.accounts import views
from attune.accounts.link_paths import RESET_PREFIX, SET_UP_PREFIX

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-in/forgot", views.forgot_password, name="forgot_password"),
    path("sign-in/forgot/sent", views.reset_link_sent, name="reset_link_sent"),
    path("sign-in/security-code", views.security_code, name="security_code"),
    path("sign-in/set-up-two-factor", views.set_up_two_factor, name="set_up_two_factor"),
    path("sign-out", views.sign_out, name="sign_out"),
    path("account", views.account, name="account"),
    path("account/keep-alive", views.keep_alive, name="keep_alive"),
    path("account/recovery-codes", views.recovery_codes, name="recovery_codes"),
    path("account/new-recovery-codes", views.new_recovery_codes, name="new_recovery_codes"),
    path("account/change-password", views.change_password, name="change_password"),
    # The emailed links (link_paths says where they point; the token is the rest of the path).
    path(f"{SET_UP_PREFIX}<str:token>", views.set_up_with_link, name="set_up"),
    path(f"{RESET_PREFIX}<str:token>", views.reset_with_link, name="reset"),
]
