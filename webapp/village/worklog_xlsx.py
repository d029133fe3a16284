"""The monthly work log (工作日志) of one child worker as an XLSX workbook for the township supervisor."""
from flask_babel import force_locale
from openpyxl import Workbook

from ..labels import CHECKIN_KIND_LABELS, DUTY_KIND_LABELS, WELLBEING_LABELS, duty_cadence_label
from ..xlsx import safe_cell

SUMMARY = (
    ("home_visit", "入户走访"), ("phone", "电话"), ("parent_video", "与父母视频连线"), ("school", "与学校沟通"),
    ("activities", "童伴之家活动"), ("attendances", "活动参与人次"), ("concerns", "上报预警"),
)
CHECKIN_HEADERS = ("日期", "儿童", "方式", "情绪", "健康", "学习", "安全", "联系了父母", "上报预警")
ACTIVITY_HEADERS = ("日期", "活动", "时长(分钟)", "参加儿童")


def _sheet(workbook, title, rows):
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    return sheet


def build_worklog(log):
    """A write_only workbook: summary with duty completion, check-ins, activities. Every text
    cell goes through safe_cell (names come from users and must not become formulas). The
    supervisor's file is in Chinese whatever language the viewer chose."""
    with force_locale("zh_Hans_CN"):
        return _build(log)


def _build(log):
    workbook = Workbook(write_only=True)
    month = log["month"].strftime("%Y-%m")
    summary = [
        ("童伴妈妈", log["worker"].display_name),
        ("月份", month),
        ("负责村(社区)", "、".join(v.name for v in log["villages"])),
        ("在册留守儿童", log["children"]),
        (),
        ("本月工作", "次数"),
    ]
    summary += [(label, log["totals"][key]) for key, label in SUMMARY]
    summary += [(), ("职责", "完成", "应完成")]
    for rule in log["rules"]:
        done, total = log["completion"].get((rule.kind, rule.per, rule.frequency), (0, 0))
        label = f"{DUTY_KIND_LABELS[rule.kind]}({duty_cadence_label(rule.per, rule.frequency)})"
        summary.append((str(label), done, total))
    _sheet(workbook, "汇总", summary)
    _sheet(workbook, "走访记录", [CHECKIN_HEADERS] + [
        (c.day.isoformat(), c.child.name, str(CHECKIN_KIND_LABELS[c.kind]),
         *(str(WELLBEING_LABELS[getattr(c, f)]) for f in ("mood", "health", "study", "safety")),
         "是" if c.parents_contacted else "否", "是" if c.concern_id else "否")
        for c in log["checkins"]
    ])
    _sheet(workbook, "童伴之家活动", [ACTIVITY_HEADERS] + [
        (a.day.isoformat(), a.title, a.minutes, a.children) for a in log["activities"]
    ])
    return workbook
