"""What the import files look like: their columns with the Chinese headers the county's
spreadsheets use (data, not UI text), the notes printed in the templates, and role names."""
from .importer import Column

CHILD_COLUMNS = (
    Column("年级", "grade", True, "1 到 12 的数字", "4"),
    Column("班号", "number", True, "数字,1 表示 1 班", "1"),
    Column("姓名", "name", True, "最多 40 个字", "张小花"),
    Column("性别(男/女)", "sex", True, "男 或 女", "女"),
    Column("出生日期", "birth_date", True, "如 2016-05-01", "2016-05-01"),
    Column("家庭所在村", "village", False, "村名;重名时写 乡镇/村", "一村"),
    Column("留守", "left_behind", False, "是 或 否", "是"),
    Column("单亲", "single_parent", False, "是 或 否", "否"),
    Column("困境", "in_difficulty", False, "是 或 否", "否"),
    Column("监护人姓名", "guardian_name", False, "最多 40 个字", "张大山"),
    Column("监护人关系", "guardian_relation", False, "如 祖父、外婆", "祖父"),
    Column("监护人电话", "guardian_phone", False, "数字", "13800000000"),
)
CHILD_NOTES = (
    "每行一个孩子:按 学校 + 学年 + 年级 + 班号 找到或新建班级,按 姓名 + 性别 + 出生日期 找到或新建孩子。",
    "已有孩子的可选列留空时,原有信息保持不变。",
)
USER_COLUMNS = (
    Column("用户名", "username", True, "字母、数字、点、横线或下划线,2 到 40 个", "wang.li"),
    Column("姓名", "display_name", True, "心理委员填学生本人姓名", "王丽"),
    Column("角色", "role", True, "县中心、片区教师、心理教师、校长、班主任、心理委员、童伴妈妈", "班主任"),
    Column("手机", "phone", False, "数字", "13900000000"),
    Column("片区", "zone", False, "片区教师必填", ""),
    Column("学校", "school", False, "心理教师、校长、班主任、心理委员必填(校长导入时可不填)", "渠县第一小学"),
    Column("班级", "classes", False, "本学年的班级,如 4-1;班主任可写多个,用、分开;心理委员必填一个", "4-1"),
    Column("村", "villages", False, "童伴妈妈必填;多个用、分开;重名时写 乡镇/村", ""),
    Column("初始密码", "password", False,
           "新账号必填:员工至少 10 位,心理委员 6 位数字 PIN;已有账号的密码不会改动", "xinqiao-2026"),
)
USER_NOTES = (
    "按用户名找到或新建账号。初始密码只用于新账号;已有账号的密码请在系统里重设(会记入审计日志)。",
    "心理委员:姓名写学生本人的姓名,班级写一个本学年的班级,如 4-1;四年级起每班男女各一名。",
)
USER_TEMPLATE_ROLES = {
    "county": ["县中心", "片区教师", "心理教师", "校长", "班主任", "心理委员", "童伴妈妈"],
    "principal": ["班主任", "心理委员"],
}
ROLE_NAMES = {
    "县中心": "county", "县心理健康教育中心": "county", "片区教师": "zone", "片区心理教师": "zone",
    "心理教师": "counselor", "心理老师": "counselor", "校长": "principal", "德育主任": "principal",
    "班主任": "head_teacher", "心理委员": "committee", "童伴妈妈": "child_worker", "儿童主任": "child_worker",
}
