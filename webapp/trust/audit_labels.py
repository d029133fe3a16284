"""The audit log in words: what each recorded action and each kind of object is called.

The log stores codes (`create_home_visit`, `HomeVisit`) so that it never changes with the
language; /audit/ shows these labels. Every action the code records needs one here
(tests/test_words.py reads the audit.record calls); an unknown code is shown as it is.
"""
from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    # signing in and out
    "login": _l("Signed in"), "logout": _l("Signed out"), "login_failed": _l("Sign-in failed"),
    "login_refused": _l("Sign-in refused (too many failures)"),
    "login_unlocked": _l("Account unlocked with a recovery code"),
    "login_unlock_failed": _l("Unlock with a recovery code failed"),
    "login_unlock_refused": _l("Unlock refused (too many failures)"),
    "session_expired": _l("Session expired"), "sign_out_everywhere": _l("Signed out on every device"),
    "enable_second_factor": _l("Two-step sign-in turned on"),
    "reset_second_factor": _l("Two-step sign-in reset"),
    "second_factor_failed": _l("Wrong two-step code"),
    "second_factor_refused": _l("Two-step code refused (too many failures)"),
    "reset_secret": _l("Password or PIN reset"), "profile_update": _l("Profile changed"),
    # concerns (预警) and cases
    "create_concern": _l("Concern raised"), "read_concern": _l("Concern viewed"),
    "acknowledge_concern": _l("Concern acknowledged"), "triage_concern": _l("Concern triaged"),
    "escalate_concern": _l("Concern escalated to the zone and the county"),
    "join_case": _l("Concern added to an open case"),
    "open_case": _l("Case opened"), "read_case": _l("Case viewed"),
    "add_case_note": _l("Case follow-up written"), "change_case_level": _l("Case level changed"),
    "set_case_team": _l("Case team changed"), "close_case": _l("Case closed"), "reopen_case": _l("Case reopened"),
    "refuse_second_case": _l("Second case for the same pupil refused"),
    "merge_case": _l("Open cases of the same pupil merged into one"),
    "create_referral": _l("Referral made"), "referral_feedback": _l("Referral feedback written"),
    "create_institution": _l("Institution added"), "toggle_institution": _l("Institution switched on or off"),
    "create_key_period": _l("Key period added"),
    # children and their key groups
    "read_child": _l("Child's page viewed"), "set_problem_family": _l("Problem family marked or cleared"),
    "set_psychiatric_history": _l("Psychiatric history marked or cleared"),
    "export_child": _l("Child's records exported"), "erase_child": _l("Child's records erased"),
    # home visits
    "create_home_visit": _l("Home visit logged"), "correct_home_visit": _l("Home visit corrected"),
    "read_home_visit": _l("Home visit viewed"), "export_visit_register": _l("Home-visit register exported"),
    "print_visit_register": _l("Home-visit register printed"),
    # the class psychology committee
    "create_weekly_report": _l("Weekly class report sent"), "read_weekly_report": _l("Weekly class report viewed"),
    "confirm_weekly_report": _l("Weekly class report confirmed"),
    "create_peer_support": _l("Peer support recorded"), "read_peer_support": _l("Peer support viewed"),
    # village child workers
    "create_left_behind_file": _l("Left-behind child's file registered"),
    "confirm_left_behind_file": _l("Guardian's confirmation recorded"),
    "create_checkin": _l("Check-in logged"), "read_checkin": _l("Check-in viewed"),
    "delete_programme_activity": _l("Activity deleted (logged by mistake)"),
    "log_programme_activity": _l("Activity logged (programme)"),
    "save_programme_staff": _l("Psychology teacher saved in the register"), "add_training": _l("Training added"),
    "save_counselling_room": _l("Counselling room saved"), "save_emergency_plan": _l("Emergency plan saved"),
    "save_requirement": _l("Requirement saved"), "export_programme_matrix": _l("Compliance matrix exported"),
    "export_programme_report": _l("Annual programme report exported"),
    "create_activity": _l("Activity logged"), "read_worklog": _l("Work log viewed"),
    "export_worklog": _l("Work log exported"), "save_duty_rule": _l("Child workers' requirement saved"),
    "request_pupil_link": _l("Link to a pupil requested"), "view_link_requests": _l("Link requests viewed"),
    "confirm_link_request": _l("Link to a pupil confirmed"), "refuse_link_request": _l("Link to a pupil refused"),
    # administration
    "admin_create_zone": _l("Zone added"), "admin_update_zone": _l("Zone changed"),
    "admin_create_township": _l("Township added"), "admin_update_township": _l("Township changed"),
    "admin_create_village": _l("Village added"), "admin_update_village": _l("Village changed"),
    "admin_create_school": _l("School added"), "admin_update_school": _l("School changed"),
    "admin_update_school_help": _l("School's mailbox and hours changed"),
    "admin_create_class": _l("Class added"), "admin_update_class": _l("Class changed"),
    "admin_create_child": _l("Pupil added"), "admin_update_child": _l("Pupil changed"),
    "admin_import_children": _l("Pupils imported"),
    "admin_create_user": _l("Account added"), "admin_update_user": _l("Account changed"),
    "admin_import_users": _l("Accounts imported"),
    "admin_add_committee": _l("Psychology committee member added"),
    "admin_remove_committee": _l("Psychology committee member removed"),
    # exports and the log itself
    "export_dashboard": _l("Dashboard exported"), "export_ledger": _l("Ledger exported"),
    "export_audit": _l("Audit log exported"),
    "refuse_entry_id": _l("Entry refused: its number was already used"),
    "out_of_scope": _l("Refused: outside the account's scope"),
    "probing_suspected": _l("Possible probing"),
    # incidents (crisis response)
    "open_incident": _l("Incident opened"), "incident_step": _l("Incident step done"),
    "incident_postvention": _l("Incident follow-up children named"),
    "incident_follow_up_done": _l("Incident follow-up done"), "close_incident": _l("Incident closed"),
    "read_incident": _l("Incident viewed"), "save_incident_plan": _l("Incident plan saved"),
    "read_incident_follow_up": _l("Incident follow-up viewed"),
    # annual screening (心理测评)
    "screening_open_round": _l("Screening round opened"),
    "screening_setting": _l("Screening threshold or deadline changed"),
    "screening_import": _l("Screening results imported"), "screening_result": _l("Screening result recorded"),
    "read_screening_result": _l("Screening result viewed"), "read_screening_warning": _l("Screening warning viewed"),
    "screening_interview": _l("Screening follow-up interview recorded"),
    "screening_close_warning": _l("Screening warning closed"),
    "export_screening_coverage": _l("Screening coverage exported"),
    "screening_session_start": _l("Class screening session started"),
    "screening_session_end": _l("Class screening session ended"),
    "self_check_contact": _l("Teacher asked to be contacted after a self-check"),
    # inspections (督导), 整改 and attachments
    "record_inspection": _l("Inspection recorded"), "read_inspection": _l("Inspection viewed"),
    "add_rectification": _l("Rectification item added"),
    "report_rectification": _l("Rectification item reported done"),
    "accept_rectification": _l("Rectification item accepted"),
    "return_rectification": _l("Rectification item sent back"),
    "attach_file": _l("File attached"), "read_attachment": _l("Attached file downloaded"),
    "delete_attachment": _l("Attached file deleted"),
}

# Kinds of object: the models' names, and the kinds a refused path names (trust.probing).
OBJECT_LABELS = {
    "Activity": _l("Activity"), "Attendance": _l("Attendance"), "AuditEvent": _l("Audit entry"),
    "Case": _l("Case"), "CaseMember": _l("Case team member"), "CaseNote": _l("Case follow-up"),
    "CheckIn": _l("Check-in"), "Checkin": _l("Check-in"), "Child": _l("Child"),
    "ClassTeacher": _l("Head teacher of a class"), "Concern": _l("Concern"), "DutyRule": _l("Requirement"),
    "FollowUp": _l("Follow-up"), "HomeVisit": _l("Home visit"), "Visit": _l("Home visit"),
    "Incident": _l("Incident"), "IncidentChild": _l("Child in an incident"), "IncidentRule": _l("Incident plan"),
    "IncidentStep": _l("Incident step"), "Institution": _l("Institution"), "KeyPeriod": _l("Key period"),
    "LeftBehindFile": _l("Left-behind child's file"), "LevelChange": _l("Level change"),
    "LinkRequest": _l("Link request"), "Link": _l("Link request"), "Notification": _l("Message"),
    "PeerSupport": _l("Peer support"), "PlanStep": _l("Plan step"),
    "PsychiatricHistory": _l("Psychiatric history"), "Referral": _l("Referral"),
    "ReferralFeedback": _l("Referral feedback"), "School": _l("School"), "SchoolClass": _l("Class"),
    "ProgrammeStaff": _l("Psychology teacher (register)"), "Training": _l("Training"),
    "CounsellingRoom": _l("Counselling room"), "EmergencyPlan": _l("Emergency plan"),
    "ProgrammeActivity": _l("Programme activity"), "Requirement": _l("Requirement"),
    "Class": _l("Class"), "Township": _l("Township"), "User": _l("Account"), "Village": _l("Village"),
    "WeeklyReport": _l("Weekly class report"), "Report": _l("Weekly class report"), "Zone": _l("Zone"),
    "ScreeningRound": _l("Screening round"), "ScreeningResult": _l("Screening result"),
    "ScreeningWarning": _l("Screening warning"), "ScreeningImport": _l("Screening import"),
    "ScreeningSession": _l("Class screening session"), "ScreeningSetting": _l("Screening setting"),
    "ScreeningSettingChange": _l("Screening setting"), "StudentNumber": _l("Student number"),
    "SelfCheckCount": _l("Teachers' self-check count"), "SelfCheckContact": _l("Teacher's contact request"),
    "Inspection": _l("Inspection"), "InspectionCheck": _l("Inspection checklist line"),
    "Rectification": _l("Rectification item"), "Attachment": _l("Attached file"),
    "AttachmentBlob": _l("Attached file"),
    "page": _l("Page"),
}


def action_label(code):
    return ACTION_LABELS.get(code, code)


def object_label(code):
    return OBJECT_LABELS.get(code, code) if code else ""
