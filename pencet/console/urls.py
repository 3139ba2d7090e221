from django.urls import path

from . import (
    auth_views,
    views,
    views_access,
    views_application,
    views_chats,
    views_clocks,
    views_complaints,
    views_intake,
    views_profile,
    views_queue,
    views_reports,
    views_review,
    views_signing,
    views_surveys,
)

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.login_view, name="login"),
    path("masuk/kode/", auth_views.login_code_view, name="login_code"),
    path("masuk/autentikator/", auth_views.otp_setup_view, name="otp_setup"),
    path("keluar/", auth_views.logout_view, name="logout"),
    # The officer's profile and API tokens (views_profile).
    path("profil/", views_profile.profile, name="profile"),
    # Queues, search, bulk signature (views_queue).
    path("antrean/jumlah/", views_queue.queue_counts, name="queue_counts"),
    # Service clocks (views_clocks).
    path("antrean/terlambat/", views_clocks.overdue, name="overdue"),
    path("gangguan/", views_clocks.interruptions, name="interruptions"),
    path("gangguan/<int:pk>/tutup/", views_clocks.interruption_end, name="interruption_close"),
    path("antrean/<slug:key>/", views_queue.queue_list, name="queue"),
    path("cari/", views_queue.search, name="search"),
    path("tanda-tangan/", views_signing.sign_list, name="sign_list"),
    # Chats handed to a person (views_chats).
    path("kontak/", views_chats.chat_list, name="chats"),
    path("kontak/<int:pk>/", views_chats.contact_detail, name="contact"),
    path("kontak/<int:pk>/ambil/", views_chats.contact_claim, name="contact_claim"),
    path("kontak/<int:pk>/tugaskan/", views_chats.contact_assign, name="contact_assign"),
    path("kontak/<int:pk>/lepas/", views_chats.contact_release, name="contact_release"),
    path("kontak/<int:pk>/selesai/", views_chats.contact_done, name="contact_done"),
    # Who read which personal data (views_access), for office admins.
    path("akses/", views_access.access_log, name="access_log"),
    # Other ways in (views_intake).
    path("daftar/", views_intake.intake_start, name="intake_start"),
    path("daftar/<slug:service_code>/", views_intake.intake, name="intake"),
    path("wilayah/desa/", views_intake.village_options, name="village_options"),
    # One application (views_application).
    path("permohonan/<str:code>/", views_application.application_detail, name="application"),
    path("permohonan/<str:code>/periksa/", views_review.review_decide, name="review"),
    path("permohonan/<str:code>/terlambat/<slug:step>/", views_clocks.late_decide, name="late"),
    path("permohonan/<str:code>/ambil/", views_application.forum_claim, name="claim"),
    path("permohonan/<str:code>/lepas/", views_application.forum_release, name="release"),
    path("permohonan/<str:code>/alihkan/", views_application.forum_take_over, name="take_over"),
    path("permohonan/<str:code>/siak/", views_application.siak_record, name="siak"),
    path("permohonan/<str:code>/verifikasi/", views_application.verify, name="verify"),
    path("permohonan/<str:code>/tanda-tangan/", views_signing.sign, name="sign"),
    path("permohonan/<str:code>/hasil/", views_application.output_upload, name="output_upload"),
    path("permohonan/<str:code>/hasil/spesimen/", views_application.output_specimen, name="output_specimen"),
    path("permohonan/<str:code>/hasil/<int:pk>/", views_application.output_file, name="output_file"),
    path("permohonan/<str:code>/hasil/<int:pk>/hapus/", views_application.output_remove, name="output_remove"),
    path("permohonan/<str:code>/kirim/", views_application.deliver, name="deliver"),
    path("permohonan/<str:code>/diambil/", views_application.pick_up, name="pick_up"),
    path("permohonan/<str:code>/batalkan/", views_application.cancel, name="cancel"),
    path("permohonan/<str:code>/pesan/", views_application.message_send, name="message"),
    path("permohonan/<str:code>/lampiran/<int:pk>/", views_application.attachment_file, name="attachment"),
    path("permohonan/<str:code>/tanda-terima/", views_application.receipt, name="receipt"),
    # Satisfaction survey (views_surveys): report, kiosk, paper entry; the public IKM page needs no login.
    path("survei/", views_surveys.survey_report, name="survey_report"),
    path("survei/kios/", views_surveys.survey_kiosk, name="survey_kiosk"),
    path("survei/kertas/", views_surveys.survey_paper, name="survey_paper"),
    path("survei/<int:pk>/xlsx/", views_surveys.survey_report_xlsx, name="survey_xlsx"),
    path("survei/<int:pk>/pdf/", views_surveys.survey_report_pdf, name="survey_pdf"),
    path("survei/<int:pk>/tindak-lanjut/", views_surveys.survey_follow_up, name="survey_follow_up"),
    path("survei/<int:pk>/umumkan/", views_surveys.survey_publish, name="survey_publish"),
    path("ikm/", views_surveys.ikm_public, name="ikm_public"),
    path("ikm/<str:office_code>/", views_surveys.ikm_public, name="ikm_public_office"),
    # The leadership dashboard (views_reports).
    path("laporan/", views_reports.dashboard, name="reports"),
    path("laporan/register/", views_reports.register, name="register"),
    path("laporan/<slug:group_by>/xlsx/", views_reports.dashboard_xlsx, name="reports_xlsx"),
    # Complaints (views_complaints).
    path("pengaduan/", views_complaints.complaint_list, name="complaints"),
    path("pengaduan/baru/", views_complaints.complaint_new, name="complaint_new"),
    path("pengaduan/ekspor/", views_complaints.complaint_export, name="complaint_export"),
    path("pengaduan/<str:code>/", views_complaints.complaint_detail, name="complaint"),
    path("pengaduan/<str:code>/<slug:action>/", views_complaints.complaint_act, name="complaint_act"),
]
