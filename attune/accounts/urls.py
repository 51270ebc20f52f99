from django.urls import path

from attune.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign_in"),
    path("sign-in/security-code", views.security_code, name="security_code"),
    path("sign-in/set-up-two-factor", views.set_up_two_factor, name="set_up_two_factor"),
    path("sign-out", views.sign_out, name="sign_out"),
    path("account", views.account, name="account"),
    path("account/keep-alive", views.keep_alive, name="keep_alive"),
    path("account/recovery-codes", views.recovery_codes, name="recovery_codes"),
    path("account/new-recovery-codes", views.new_recovery_codes, name="new_recovery_codes"),
    path("account/change-password", views.change_password, name="change_password"),
]
