"""The cleaning rules, as data: what counts as noise in a speech copied off the web, and why.

Every rule has a name (ASCII, kebab-case: the removal log and the tests name it), a
pattern, a scope, and a reason (the fixed Chinese vocabulary that readers see in 整理说明).
The file is documentation: rules are grouped by the kind of noise, with the sites it comes
from, and each rule carries one or more real-looking example lines that it must remove
(tests/test_clean.py checks them); every top-level alternative of a pattern is exercised by
one of them (tests/test_rules.py). A new site's noise is one new entry plus its cases in
tests/cases/clean/, not a new ``if`` in clean.py.

Patterns are joined from named pieces (``_DECOR``, ``_SITE``, …) with ``+``, never built
with f-strings: in an f-string a quantifier such as ``{0, 10}`` is a Python expression, and
``ad-slogan``'s "欢迎来到…网" once silently became a branch that needed the text "(0, 10)".

How clean.py applies them, per line of the decoded source:

* HTML residue first: tags are removed (logged as HTML标签), ``</p>``/``<br>``/block tags
  end a paragraph (the line is split there), then entities are decoded.
* LINE: ``pattern.search`` on the line stripped of whitespace; a hit removes the whole line.
  ``max_chars`` keeps prompt-like rules off long speech paragraphs, and
  ``spare_speech_lines`` keeps them off any line with "。" or "；" in it and off numbered
  headings (a speaker saying "要积极点赞转发正能量内容。" is not a share button).
* SECTION: a LINE rule whose line opens a block of noise ("猜你喜欢" + a list of titles);
  the block runs until a line of prose, a title-like line or heading after a blank line,
  a line with no Chinese (a listed title has some), a line another rule claims, or the
  end of the file.
* PREFIX: ``pattern.match`` at the start of the line (after indentation); the rest is kept.
* INLINE: every ``pattern.finditer`` hit is cut out; the rest of the line is kept. A line
  left empty is removed (and then LINE rules get a second look at what is left).
* ``zone``: most rules fire anywhere. A few are only safe outside the speech body: in the
  head zone (before the first line of prose) or the tail zone (after the last one).
* Then two heuristics on the head and tail zones, "ad-block" and "footer-block" (see
  "Heuristics for the head and tail zones" at the end of this file).

Rules are tried in file order; the first LINE/SECTION rule that matches wins, so the more
specific rules (a paywall prompt that mentions VIP) come before the broader ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .chars import (
    CJK_PUNCTUATION_CLASS,
    CLAUSE_END_MARKS,
    ENDS_SENTENCE,
    FULLWIDTH_FORMS_CLASS,
    HAN_CLASS,
    HAS_SENTENCE_MARK,
    NUMBERED_HEADING,
)
from .triggers import trigger

# --- The removal reasons (the fixed vocabulary of the 整理说明 log) ---------------------

AD = "广告"
MEMBERSHIP = "会员推广"
CREDIT = "整理者署名"
BYLINE = "发布信息"
SITE_SUMMARY = "网站摘要"
PASSWORD = "文档密码"
PAID_MARKER = "付费标记"
PAYWALL = "付费提示"
TITLE_PREFIX = "标题前缀"
REPEATED_TITLE = "重复标题"  # logged by title_block.py (it needs the title), not by a rule
SHARE_PROMPT = "分享提示"
FOOTER_TITLE = "页脚标题"
URL = "网址"
COPYRIGHT = "版权声明"
JUNK = "残留字符"
BREADCRUMB = "面包屑导航"
PAGE_NUMBER = "页码"
HTML_TAG = "HTML标签"
READ_MORE = "阅读全文链接"
RELATED = "相关文章"
SOURCE_NOTE = "来源说明"
DOWNLOAD = "下载提示"
END_MARK = "结束标记"
WATERMARK = "水印"
EDITOR_DROP = "编辑指定删除"
RUNNING_HEADER = "页眉页脚"

REASONS: tuple[str, ...] = (
    AD,
    MEMBERSHIP,
    CREDIT,
    BYLINE,
    SITE_SUMMARY,
    PASSWORD,
    PAID_MARKER,
    PAYWALL,
    TITLE_PREFIX,
    REPEATED_TITLE,
    SHARE_PROMPT,
    FOOTER_TITLE,
    URL,
    COPYRIGHT,
    JUNK,
    BREADCRUMB,
    PAGE_NUMBER,
    HTML_TAG,
    READ_MORE,
    RELATED,
    SOURCE_NOTE,
    DOWNLOAD,
    END_MARK,
    WATERMARK,
    EDITOR_DROP,
    RUNNING_HEADER,
)

# Names of the removals that are not regex rules (clean.py makes them).
HTML_TAG_RULE = "html-tag"
EDITOR_DROP_RULE = "editor-drop"
AD_BLOCK_RULE = "ad-block"
FOOTER_BLOCK_RULE = "footer-block"
RUNNING_HEADER_RULE = "running-header"
# A PDF's running header or footer (the issuing office's name, a document title) comes
# back at every page break of a pasted copy: the same short bare line this many times.
RUNNING_HEADER_MIN_REPEATS = 3


# --- The rule type ----------------------------------------------------------------------


class Scope(StrEnum):
    LINE = "line"  # the whole line is noise
    PREFIX = "prefix"  # a glued prefix at the start of the line; the rest is kept
    INLINE = "inline"  # a fragment anywhere in the line; the rest is kept
    SECTION = "section"  # the line opens a block of noise lines


class Zone(StrEnum):
    ANYWHERE = "anywhere"
    EDGES = "edges"  # head zone (before the first prose line) or tail zone (after the last)
    TAIL = "tail"  # tail zone only


LINE, PREFIX, INLINE, SECTION = Scope.LINE, Scope.PREFIX, Scope.INLINE, Scope.SECTION
ANYWHERE, EDGES, TAIL = Zone.ANYWHERE, Zone.EDGES, Zone.TAIL

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rule:
    """One kind of noise. See the module docstring for how each scope is applied."""

    name: str
    pattern: re.Pattern[str]
    scope: Scope
    reason: str
    max_chars: int | None = None  # LINE/SECTION: only lines this short (stripped)
    spare_speech_lines: bool = False  # LINE/SECTION: never a sentence or a numbered heading
    zone: Zone = ANYWHERE
    truncates: bool = False  # the text stops here (paywall, "阅读全文>>")
    hides_text: bool = False  # text of the speech is missing here ("此处隐藏5120个字")
    end_mark: bool = False  # the speech is complete up to here ("（全文完）")
    footer: bool = False  # opens the page footer: short lines after it are footer too
    capture: str | None = None  # group reported in Cleaned.captured as (name, text)
    examples: tuple[str, ...] = ()  # lines it must remove (checked by the tests)
    # A quick test on the folded line that is false only where the pattern cannot match
    # (triggers.py: computed from the pattern); None: always try the pattern.
    trigger: Callable[[str], bool] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trigger", trigger(self.pattern))
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be ASCII kebab-case")
        if self.reason not in REASONS:
            raise ValueError(f"rule {self.name}: unknown reason {self.reason!r}")
        if self.capture is not None and self.capture not in self.pattern.groupindex:
            raise ValueError(f"rule {self.name}: no group named {self.capture!r}")
        if self.scope in (PREFIX, INLINE) and (self.max_chars or self.spare_speech_lines):
            raise ValueError(f"rule {self.name}: max_chars/spare_speech_lines are for lines")
        if not self.examples:
            raise ValueError(f"rule {self.name}: give at least one example line")


def _re(pattern: str) -> re.Pattern[str]:
    """Compile a rule pattern: verbose (commented) and case-insensitive for QQ/VIP/http."""
    return re.compile(pattern, re.VERBOSE | re.IGNORECASE)


# Shared pieces of patterns.
# How sites write a contact ("加Q" not before a Latin letter: "参加QC小组" is not one).
_CONTACT = r"(?:QQ|扣扣|企鹅|微信号?|V信|威信|VX|WX|加V|加Q)(?!(?<=加Q)[A-Za-z])"
_CONTACT_ID = r"\s*(?:号码?)?\s*[:：]?\s*[A-Za-z0-9_-]{5,}"  # …and the number or id
# Document-site words ("XX文库", "第一范文网", "写材料网", "道客巴巴", "豆丁", "360doc").
_SITE = r"(?:文库|范文网|范文|文档网|资料网|公文网|写材料|材料网|道客巴巴|豆丁|360doc|个人图书馆)"
_DECOR = r"[\s☆★◆◇■□●▲△▼▽※→←↑↓►◄▶◀>＞»›《》【】\[\]〖〗（）()—\-_=~*·•|｜:：…\.]*"
_NUM = r"[0-9０-９一二三四五六七八九十百〇零]+"
_NOT_SENTENCE = r"[^。！？!?]*$"
_OPEN = r"[（(【\[〔〖]"
_WATERMARK_INVITE = (
    r"(?:范文|精彩|优秀|相关|资料|文章|内容)?\S{0,6}?请(?:访问|关注|登录|搜索|浏览|点击)"
    r"[^\s。！？，]{0,40}(?:\s*(?:https?://|www\.)[!-~]+)?"  # "…请访问 http://…"
)
_CLOSE = r"[）)】\]〕〗]"


# Category navigation: an item, the mark between items, and the words a category of a
# document site ends with (工作总结, 述职报告, 讲话稿, 范文大全, 首页).
_NAV_ITEM = r"[^\s|｜丨·•・/，。、；：！？,;:!?“”]{1,8}"
_NAV_MARK = r"[|｜丨·•・/]"
_CATEGORY = (
    r"(?:首页|大全|范文|范本|模板|总结|计划|报告|心得|体会|讲话|讲稿|发言|致辞|演讲|党课|"
    r"方案|制度|合同|作文|简历|公文|材料|述职|述廉|汇报|主持词|自查|整改|申请书|检讨书|"
    r"教案|课件|试题|读后感|观后感|倡议书|承诺书|文秘|写作|稿)"
)


def _bare(inner: str) -> str:
    """A whole line that is ``inner`` with nothing but decoration around it ("↓展开全文↓")."""
    return "^" + _DECOR + "(?:" + inner + ")" + _DECOR + "$"


RULES: tuple[Rule, ...] = (
    # --- Paid-content markers --------------------------------------------------------
    # Document sites wrap the part behind the paywall in markers that the copy keeps,
    # glued to whatever follows: "##paidbegin##三、突出目标导向…". The text goes on.
    Rule(
        "paid-marker",
        _re(
            r"""(?<!\#)\#{2,}\s*(?:paid|vip|pay|fee|charge)[\s_-]*(?:begin|end|start|stop)?\s*\#{2,}
              | \[/?(?:paid|vip|hide|pay)\]            # bbcode-style [paid]…[/paid]
              | \{\{/?(?:paid|vip)\}\}"""
        ),
        INLINE,
        PAID_MARKER,
        examples=(
            "##paidbegin##三、突出目标导向",
            "##paidend##",
            "[paid]要坚持问题导向[/paid]",
            "{{vip}}三、突出目标导向，切实提升警务工作层次质量",
        ),
    ),
    Rule(
        "paid-notice",
        _re(
            _bare(
                r"""(?:以下|下面|后面|此后)?(?:内容|部分)?(?:为|是)?付费(?:内容|部分|段落)
                    (?:开始|结束|以下|如下)?"""
            )
        ),
        LINE,
        PAID_MARKER,
        examples=("【以下为付费内容】", "付费内容开始"),
    ),
    # --- Paywall and VIP prompts (the text stops here) ---------------------------------
    # 文库/道客巴巴/豆丁 show the first pages and then a prompt; what follows in the copy
    # is never the rest of the speech, so structure() marks the speech as truncated.
    Rule(
        "paywall",
        _re(
            "^"
            + _DECOR
            + r"""(?:     # the prompt starts the line (a cut paragraph: paywall-tail)
                (?:开通|升级|购买|成为|加入|充值|登录|注册)\s*(?:VIP|SVIP|会员)?\s*
                  (?:后|即可|可|才能|继续)?\s*(?:阅读|查看|浏览|下载|解锁|获取|免费)\s*
                  (?:全文|完整|剩余|更多|全部|本文|文档|后续)
              | (?:剩余|还剩|余下|剩下|尚余)\s*[0-9,，.]+\s*(?:字|页|%|％|个字)   # 剩余3000字未读
              | 试读(?:已)?(?:结束|完毕)|预览(?:已)?(?:结束|完毕)|(?:本页|以下|此页)为预览
              | 免费(?:试读|预览|阅读)(?:部分)?(?:已|到此)?(?:结束|完毕|为止)
              | (?:本文|本篇|本文档|全文|此文|该文档|阅读全文)\s*(?:需要?|要)\s*(?:付费|收费|购买|支付)
              | 付费(?:阅读|查看|下载)
              | 购买(?:后|本文档?|全文|此文)\s*(?:即可|可|才能)?\s*(?:阅读|查看|下载|获取)
              | 支付\s*[0-9.]+\s*元
              | (?:VIP|会员)(?:专享|免费)(?:文档|内容|阅读)?$
              | (?:未完[，,\s]*)?全文共\s*[0-9,，]+\s*字\s*[，,]?\s*当前(?:仅)?显示   # 范文网 preview
              | (?:阅读|查看|浏览)(?:全部|全文|完整|剩余|更多)(?:图文)?(?:内容)?[，,]?\s*   # login wall
                (?:您|你)?(?:需要|需|要)?(?:先)?登录
              | 登录后(?:才能|即可|可|继续)?(?:阅读|查看|浏览)(?:全部|全文|完整|剩余)
            )"""
        ),
        LINE,
        PAYWALL,
        max_chars=60,
        truncates=True,
        examples=(
            "开通VIP阅读全文",
            "剩余3000字未读",
            "试读结束，购买后可阅读全文",
            "本文需付费",
            "还剩5页未读，继续阅读",
            "预览结束，免费获取全文或定制代笔此类文章！",
            "以下为预览内容，完整版请下载",
            "免费试读部分已结束",
            "付费阅读全文",
            "购买本文档即可下载完整版",
            "支付 3 元即可查看全文",
            "VIP专享文档",
            "（未完，全文共1109字，当前显示253字）",
            "（阅读全部图文内容，您需要先登录！）",
            "登录后即可阅读全文",
        ),
    ),
    # A VIP page hides part of the speech and says so where it is: the copy has a gap
    # there (Speech.gaps), wherever it stands, and is incomplete.
    Rule(
        "hidden-content",
        _re(
            r"""(?:此处|以下|下面|后面|后续|剩余|部分)(?:内容)?\s*(?:已)?隐藏\s*    # 此处隐藏5120个字
                (?:[0-9,，]+\s*个?字|[^。]{0,8}?(?:VIP|SVIP)?会员可见)
              | (?:VIP|SVIP)\s*会员\s*可见"""
        ),
        LINE,
        PAYWALL,
        max_chars=60,
        truncates=True,
        hides_text=True,
        examples=("此处隐藏5120个字。VIP会员可见", "以下内容已隐藏，会员可见", "VIP会员可见"),
    ),
    Rule(
        "paywall-tail",
        _re(
            r"""(?:(?:开通|升级|购买)\s*(?:VIP|SVIP|会员)\s*(?:后|即可|可)?\s*(?:阅读|查看|下载)\s*(?:全文|完整|剩余)
                 | (?:剩余|还剩)\s*[0-9,，]+\s*(?:字|页)\s*未读)
                [^。！？]{0,20}$"""
        ),
        INLINE,
        PAYWALL,
        truncates=True,
        examples=(
            "要坚持问题导向。作为警察个人，要切实当好遵规守纪的剩余2680字未读，开通会员查看全文",
        ),
    ),
    # --- "Read more" links (the text stops here) --------------------------------------
    Rule(
        "read-more",
        _re(
            "|".join(
                _bare(prompt)
                for prompt in (
                    r"""(?:点击|请)?(?:阅读|查看|展开|显示|加载|浏览)(?:阅读)?
                        (?:全文|全部|更多|剩余全文|剩余内容|完整内容|完整版)(?:内容)?""",
                    "全文阅读|继续阅读|阅读更多|展开|点击展开|展开更多",
                    r"展开剩余\s*[0-9]+\s*[%％]",  # news sites
                    r"""(?:打开|下载|前往)\s*\S{0,8}?APP\s*(?:内)?\s*(?:阅读|查看|看)
                        (?:全文|完整|更多|原文)?""",
                    "APP内(?:打开|阅读|查看)",
                )
            )
        ),
        LINE,
        READ_MORE,
        truncates=True,
        examples=(
            "阅读全文>>",
            "展开全文",
            "点击查看全文",
            "查看更多",
            "↓展开阅读全文↓",
            "展开剩余85%",
            "打开APP阅读全文",
            "继续阅读 >",
            "APP内打开",
        ),
    ),
    Rule(
        "read-more-tail",
        _re(
            r"""(?<=[^\n]{6})              # after some text: "（三）阅读全文" is a heading
                (?:点击)?(?:阅读全文|展开全文|查看全文|展开阅读全文|显示全文)
                 (?:\s*(?:>>|>|»|›|→|↓|…))*\s*$"""
        ),
        INLINE,
        READ_MORE,
        truncates=True,
        examples=("坚持以人民为中心的发展思想，把群众的安危冷暖放在…展开全文",),
    ),
    # --- Membership and QQ-group offers ------------------------------------------------
    Rule(
        "membership",
        _re(
            r"""(?:QQ|Q|会员|VIP|SVIP|交流|粉丝|读者|资料|学习)群\s*(?:号)?\s*[:：]   # 会员群：
              | (?:QQ|Q)群\s*[0-9]{5,}
              | 加(?:入)?(?:QQ|会员|VIP)群
              | (?:开通|加入|成为|升级|购买|充值|续费|办理)\s*(?:VIP|SVIP|年费|终身|超级|钻石|黄金)?\s*会员
              | (?:VIP|SVIP|年费|终身|超级|钻石|黄金|白金)会员
              | 会员(?:资料|材料|专享|专区|特权|中心|免费|价|等级|群)
              | 倒卖(?:会员|资料|材料)
              | (?<![A-Za-z{\[\#/])S?VIP(?![A-Za-z}\]\#])    # not a marker: [vip] {{vip}}"""
        ),
        LINE,
        MEMBERSHIP,
        max_chars=80,
        spare_speech_lines=True,
        examples=(
            "会员群：                      免费QQ群：",
            "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
            "开通年费会员，全站资料免费下载",
            "公文写作交流QQ群 756712345",
            "加入会员群，每日分享最新党课讲稿",
            "VIP尊享 ¥199/年",
        ),
    ),
    # --- Credit lines: who "整理/分享/上传"ed the copy ----------------------------------
    Rule(
        "credit-contact",
        _re(
            r"(?:整理|分享|上传|收集|编辑|提供|制作|原创)[^。！？]{0,12}"
            + _CONTACT
            + _CONTACT_ID
            + "|"
            + _CONTACT
            + _CONTACT_ID
            + r"[^。！？]{0,12}(?:整理|分享|上传|收集|提供)"
        ),
        LINE,
        CREDIT,
        max_chars=60,
        examples=(
            "酷乐文行整理，咨询QQ206157060",
            "资料收集整理 微信：wenmi2020",
            "微信：wenmi2020 长期提供各类材料",
        ),
    ),
    Rule(
        "credit-site",
        _re(
            "(?:小编|网友|本站|站长|编辑部|工作室|"
            + _SITE
            + r""")\S{0,10}?
                 (?:整理|收集|搜集|分享|上传|编辑|提供|原创|发布)(?!经验|做法)
              | ^(?!.*录音)(?:本文|本篇|本资料|本材料|本文档|此文|该文)(?:由|系|为)?[^。，]{0,20}
                 (?:整理|收集|搜集|编辑整理|网友提供|用户提供|原创)
              | ^(?:整理|编辑整理|收集整理|整理者|编者|整理人)\s*[:：]\s*\S{1,20}$"""
        ),
        LINE,
        CREDIT,
        max_chars=40,
        spare_speech_lines=True,
        examples=("本文由第一范文网网友整理", "整理：公文小助手"),
    ),
    # "酷乐文行整理" alone: a name plus 整理. In the body, "要认真整理" could be speech.
    Rule(
        "credit-name",
        _re(
            r"""^(?!要|应|须|必须|认真|及时|进一步|抓紧|做好|加强|重新|统一|分类|逐一)  # not an order
                (?!.*录音)                                    # "根据录音整理" is about the speech
                \S{2,15}(?:收集整理|编辑整理|整理发布|原创整理|整理)$"""
        ),
        LINE,
        CREDIT,
        spare_speech_lines=True,
        zone=EDGES,
        examples=("酷乐文行整理",),
    ),
    # --- Bylines: who posted it when, how often it was read -----------------------------
    Rule(
        "byline",
        _re(
            r"""^\S{1,15}\s+(?:分享|发布|上传|投稿|整理|推荐|发表)\s+(?:时间|日期)   # 云海 分享 时间:
              | (?:发布|更新|上传|发表|录入|提交|创建|修改)(?:时间|日期|于)\s*[:：]
              | (?:浏览|阅读|点击|访问|查看)(?:次数|量|数|人次)\s*[:：]
              | (?:浏览|阅读|点击|人气)\s*[:：(（]?\s*[0-9]+\s*(?:次|人)?[)）]?\s*$
              | (?:作者|编辑|责编|来源|时间|日期)\s*[:：].{0,40}
                 (?:作者|编辑|责编|审核|来源|时间|日期|浏览|点击)\s*[:：]
              | ^(?:责任编辑|责编|编辑|审核|审校|校对|排版|监制|编审|作者|撰稿|文图|图文|文字|图片|摄影|供稿|通讯员|记者)
                 \s*[:：|丨｜/]\s*\S
              | 字号\s*[:：]?\s*[大中小T]|[【\[]\s*字体\s*[:：]
              | ^(?:标签|关键词|关键字|Tags?|字数)\s*[:：]
              | ^(?:本文|全文)(?:共|共计)?\s*[0-9,，]+\s*字|阅读(?:大约|约)?(?:需要?|用时)\s*[0-9]+\s*分钟
              | ^原创\s+\S.{0,30}\d{4}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)      # WeChat header
              | ^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d{1,2}:\d{2}(?::\d{2})?$    # a timestamp
              | \s阅\s*[0-9]+\s+转\s*[0-9]+\s*$                       # 360doc: 阅 1325  转 47"""
        ),
        LINE,
        BYLINE,
        max_chars=120,
        spare_speech_lines=True,
        examples=(
            "云海 分享 时间:",
            "2021-06-20 XX党建学习  阅 1325  转 47",
            "作者：佚名 来源：网络 发布时间：2021-06-28 浏览次数：1024",
            "发布时间：2023-05-06 10:21",
            "责任编辑：王XX",
            "2023-05-06 10:21:33",
            "日期: 2026年01月30日 13时57分 来源: 狱内侦查科",
            "阅读（3562）",
            "字号：大 中 小",
            "【字体：大 中 小】",
            "关键词：治党 政治生态",
            "全文共3562字",
            "阅读大约需要8分钟",
            "原创 平安XX 2023-05-06 08:30 发表于四川",
            "原创 XX公安 2023年06月28日 08:00",
        ),
    ),
    Rule(
        "byline-inline",
        _re(
            r"""[（(]\s*(?:责任编辑|责编|编辑|通讯员|记者|作者)\s*[:：][^（）()\n]{1,15}[）)]\s*$"""
        ),
        INLINE,
        BYLINE,
        examples=("全市公安机关将持续推进执法规范化建设。（责任编辑：王XX）",),
    ),
    # --- Site summaries: the blurb a 范文网 puts above the text --------------------------
    # Careful: a speaker may say "下面，我给大家分享三点体会" or "供大家参考"; the blurb
    # speaks of itself as a collected document ("为您整理", "小编", "范文") or to "您".
    Rule(
        "site-summary",
        _re(
            r"""(?:以下|下面|本文|这篇|这是|如下)(?:是|为|就是)?[^。！？]{0,30}
                 (?:小编|网友|本站|编辑|为您|为你|为大家|给大家|帮大家)[^。！？]{0,15}
                 (?:整理|收集|搜集|精心|精选|收录|编辑|汇编)
              | (?:以下|下面)(?:是|为)[^。！？]{0,40}(?:范文|范本)[^。！？]{0,20}
                 (?:参考|阅读|借鉴|欣赏|下载)
              | (?:希望|愿)[^。！？]{0,8}(?:对|能|给|帮助)(?:您|你)(?!们)
              | 供(?:您|你)(?!们)(?:参考|借鉴|阅读|学习)
              | 欢迎(?:大家)?(?:阅读|借鉴|参考|收藏|下载|品鉴)                 # …at the end
                 (?:[与和、及]?(?:借鉴|参考|收藏|下载|分享|学习))?[。！!.]?\s*$
              | (?:大家)?一起来看看吧[。！!~～]*\s*$
              | 由(?:会员|用户|网友)(?:分享|上传)[^。]{0,40}(?:在线阅读|请在)   # 冰豆网/文档网 blurbs
              | 请在\S{1,12}(?:网|文库)上搜索
              | ^【(?:导语|导读)】                                  # 考试网/范文网 intros"""
        ),
        LINE,
        SITE_SUMMARY,
        max_chars=300,
        examples=(
            "以下是网友为您整理分享的“市局机关党委书记在全市公安政治工作会议上的讲话”相关范文,供您参考!",
            "以下是小编为大家收集的党课讲稿，欢迎阅读。",
            "党课讲稿怎么写？大家一起来看看吧！",
            "【导读】为了帮助大家写好讲话稿，本站精选了3篇范文。",
            "《讲话稿.docx》由会员分享，可在线阅读，更多相关《讲话稿.docx(12页珍藏版)》请在冰豆网上搜索。",
            "下面是小编整理的讲话稿范文，希望对您有所帮助。",
        ),
    ),
    # --- Passwords for the downloaded document -------------------------------------------
    # "加强密码管理" is speech; a password line has a colon and an ASCII value.
    Rule(
        "document-password",
        _re(
            r"""(?:编辑|打开|解压|修改|文档|下载|访问|阅读|解锁|压缩包|文件)?\s*密码\s*(?:[:：]|是|为)\s*[!-~]{3,}
              | 提取码\s*[:：]?\s*[A-Za-z0-9]{4}"""
        ),
        LINE,
        PASSWORD,
        max_chars=60,
        spare_speech_lines=True,
        examples=("本文档编辑密码：wsx2023", "解压密码: 123456", "链接：略 提取码：8k3d"),
    ),
    # --- Title prefixes a site glues in front of the title -----------------------------
    # Only a fixed list of site words: "【典型案例】" and "（三）…" are speech.
    Rule(
        "title-prefix",
        _re(
            _OPEN
            + r"""\s*(?:材料|范文|精选|推荐|原创|最新|热门|优秀|精品|必备|范本|模板|荐|通用|
                  完整版|word版|可编辑|转载|转|整理|收藏|置顶|独家|首发|VIP|会员|付费|免费|
                  下载|原文|全文|热|新|图)\s*"""
            + _CLOSE
            + r"\s*"
        ),
        PREFIX,
        TITLE_PREFIX,
        examples=(
            "(材料)市局机关党委书记在全市公安政治工作会议上的讲话",
            "【精选】在全市公安工作会议上的讲话",
        ),
    ),
    Rule(
        "collection-item-prefix",
        _re(r"""^篇[一二三四五六七八九十]{1,3}\s*[:：]\s*"""),  # 篇一：… of a "(精选2篇)" page
        PREFIX,
        TITLE_PREFIX,
        examples=("篇一:七一党课讲稿2022专题党课政法", "篇二：在全市公安工作会议上的讲话"),
    ),
    # --- Share prompts and page controls (WeChat, 360doc, news CMS) ---------------------
    Rule(
        "share-prompt",
        _re(
            r"""微信扫一扫|扫一扫(?:在手机|关注|分享|阅读|下载|加)
              | 扫(?:描)?(?:上方|下方|左侧|右侧)?(?:二维码|码)(?:关注|阅读|分享|下载|进入|加入|添加)
              | 长按(?:识别|扫描|关注)?(?:二维码|图片|下方)|识别(?:图中)?二维码
              | 点击(?:上方|下方|标题下)(?:蓝字|蓝色字|公众号|“|")|关注(?:我们|本公众号|公众号)(?:获取|了解|查看|$)
              | 分享到\s*[:：]?
              | (?:手机|移动端)(?:阅读|浏览|访问|查看)本(?:文|页)|在手机(?:上)?阅读
              | ^(?:(?:点赞|在看|转发|收藏|分享)[\s、|/·]*){2,}$          # 分享 收藏 点赞 (not 分享分享，…)
              | ^(?:阅读原文|赞赏|写留言|留言|在看|点赞|收藏|转发|打印|关闭|推荐|举报|纠错|分享|更多|发表)(?:\s*[0-9]+)?$
              | ^[0-9]+\s*条评论$
              | ^(?:(?:下载|相关|举报|收藏|分享|打印|评论|纠错)\s*){3,}$          # 下载 相关 举报
              | (?:^|\s)评论\s*[(（]?[0-9]+
              | (?:分享(?:本文|此文|文章|给好友|到朋友圈)|一键分享|发表评论|评论公约|网友评论|留言与评论  # controls
                 |返回(?:顶部|首页|列表|栏目)|打印(?:本页|此页|文章|本文)|关闭(?:窗口|本页)
                 |加入收藏|收藏本(?:站|页|文)|设为首页|献花|转藏
                 |预览时标签不可点|(?:继续|向上)滑动看下一个|轻触阅读原文|轻点两下取消
                 |在小说阅读器中?沉浸阅读)"""
        ),
        LINE,
        SHARE_PROMPT,
        max_chars=60,
        spare_speech_lines=True,
        footer=True,
        examples=(
            "微信扫一扫在手机阅读、分享本文",
            "在小说阅读器中沉浸阅读",
            "分享到：QQ空间 新浪微博 微信",
            "扫一扫关注",
            "点击上方蓝字关注我们",
            "长按识别二维码",
            "【打印本页】【关闭窗口】",
            "扫描下方二维码关注公众号",
            "手机阅读本文",
            "分享 收藏 点赞 在看",
            "阅读原文",
            "评论（12）",
            "0条评论",
            "发表",
            "留言与评论（共有 条评论） |",
            "下载 相关 举报",
        ),
    ),
    # A site's own navigation links, alone on their line ("手机版", "关于我们 | 联系我们").
    Rule(
        "site-navigation",
        _re(
            r"""^(?:(?:手机版|电脑版|网站地图|关于我们|联系我们|意见反馈|帮助中心|网站首页|隐私政策
                 |用户协议|广告服务|商务合作|投稿须知|我的图书馆|留言交流|Top|TOP|回到顶部)[\s|｜·/]*)+$"""
        ),
        LINE,
        BREADCRUMB,
        max_chars=60,
        footer=True,
        examples=("关于我们 | 联系我们 | 网站地图 | 手机版", "手机版", "我的图书馆", "Top"),
    ),
    # --- Footer title: "本文标题:…" (its text is metadata for structure()) ---------------
    Rule(
        "footer-title",
        _re(r"""^(?:本文标题|文章标题|文档标题|标题|原标题)\s*[:：]\s*(?P<title>\S.*?)\s*$"""),
        LINE,
        FOOTER_TITLE,
        max_chars=150,
        footer=True,
        capture="title",
        examples=("本文标题:副市长、公安局长在全市派出所所长培训班上的授课",),
    ),
    # --- URL lines -----------------------------------------------------------------------
    Rule(
        "url-line",
        _re(
            r"""^[^。！？，,\s]{0,20}?\s*[:：]?\s*(?:https?://|www\.)[!-~]*$       # 链接地址:http://…
              | ^(?:本文|原文|文章|本页|页面|永久|转载|下载|文档)?(?:链接|地址|网址|出处|URL)
                 \s*[:：]\s*[!-~]+$"""
        ),
        LINE,
        URL,
        max_chars=200,
        footer=True,
        examples=(
            "链接地址:http://www.bibiwenku.com//index/article/detail/detail_id/426364.html",
            "本文链接：www.diyifanwen.com/fanwen/jianghua/123.html",
            "第一范文网 www.diyifanwen.com",
        ),
    ),
    # --- Copyright footers -----------------------------------------------------------------
    # "依法追究法律责任" alone is speech; the footer ties it to copying or to the site.
    Rule(
        "copyright",
        _re(
            r"""^(?:版权声明|免责声明|版权所有|特别声明|郑重声明)\s*(?:[:：].*)?$
              | 版权所有(?!人|者|权)|版权归.{0,15}所有|Copyright|©|\(c\)\s*\d{4}
              | 如有侵权|侵权(?:请|必)?(?:联系|删除|删)|侵删|侵权投诉
              | 转载(?:请|须|需)(?:注明|保留|联系)|(?:禁止|严禁|谢绝|不得)(?:任何)?(?:转载|二次传播)
              | 未经(?:本站|作者|本网|原作者)(?:许可|授权|允许|同意)
              | 未经(?:许可|授权|允许|同意).{0,10}(?:转载|二次传播)
              | (?:不允许|禁止)二次传播|二次传播.{0,20}追究
              | 本站(?:文章|内容|资料|部分)?.{0,6}(?:来自|来源于|转载自)(?:网络|互联网)
              | (?:内容|文章)由(?:互联网)?用户自发贡献
              | (?:所有)?内容均由用户发布[，,]?\s*不代表本站观点|如发现有害或侵权内容
              | ICP(?:备|证)\s*[0-9]|公网安备"""
        ),
        LINE,
        COPYRIGHT,
        max_chars=150,
        footer=True,
        examples=(
            "版权声明",
            "作者原创,不允许二次传播,一经发现收回会员权益,追究法律责任。",
            "本站文章均来自网络，如有侵权请联系删除",
            "转载请注明出处",
            "版权所有 © 2023 第一范文网",
            "版权归原作者所有，如有侵权请联系删除",
            "Copyright © 2010-2023 www.diyifanwen.com All Rights Reserved",
            "(C) 2008-2023 豆丁网",
            "图文来源于网络，侵删",
            "侵权投诉 | 联系我们",
            "原创内容，谢绝转载",
            "未经本站授权，不得转载",
            "未经许可，请勿转载",
            "本站内容由互联网用户自发贡献，该文观点仅代表作者本人",
            "京ICP备12345678号-1",
            "京公网安备 11010802012345号",
            "本站是提供个人知识管理的网络存储空间，所有内容均由用户发布，不代表本站观点。",
            "如发现有害或侵权内容，请点击这里 或 拨打24小时举报电话与我们联系。",
        ),
    ),
    # --- Source lines ("来源：网络") ------------------------------------------------------
    # "来源于群众、服务群众" is speech: the rule needs the colon or "本文来自…".
    Rule(
        "source-note",
        _re(
            r"""^(?:文章|信息|资料|内容|本文|图片|稿件|素材|原文)?(?:来源|出处|来自|转自|摘自|转载自|选自)\s*[:：|丨｜]
              | ^(?:本文|此文|该文|文章)(?:来自|来源于|转载自|摘自|选自|转自)
              | ^(?:图片|素材|内容|文章)?来源(?:于)?(?:网络|互联网)[，,。]?$"""
        ),
        LINE,
        SOURCE_NOTE,
        max_chars=80,
        examples=("文章来源：互联网", "来源：网络", "本文来自第一范文网", "图片来源于网络"),
    ),
    # --- Breadcrumbs (before the download notice: one may end in "(精选文档)") ---------------
    Rule(
        "breadcrumb",
        _re(
            r"""^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您的当前位置|你的当前位置
                  |所在位置|位置)\s*[:：]
              | ^(?:首页|主页|网站首页|本站首页|返回首页)\s*(?:>|>>|»|›|→|/|＞|》|>)
              | ^[^>＞»›。！？]{1,15}(?:\s*(?:>>?|＞|»|›)\s*[^>＞»›。！？]{1,25}){2,}$   # A > B > C"""
        ),
        LINE,
        BREADCRUMB,
        max_chars=150,
        examples=(
            "当前位置：主页 > 工作总结 > 讲话稿",
            "首页 > 范文大全 > 讲话稿",
            "您的位置：首页 >> 党课",
            "您的当前位置：77范文网 > 范文大全 > 党史学习 > 专题党课(精选文档)",
            "第一范文网 > 讲话稿 > 领导讲话 > 正文",
        ),
    ),
    # 360doc's "user / folder / title" line: slashes with spaces around them. Only above or
    # below the speech ("市局 / 分局 / 派出所三级联动" in the body is speech).
    Rule(
        "breadcrumb-slashes",
        _re(r"""^[^/。！？\s]{1,15}(?:\s+/\s+[^/。！？]{1,40}){2,}$"""),
        LINE,
        BREADCRUMB,
        max_chars=150,
        spare_speech_lines=True,
        zone=EDGES,
        examples=("XX党建学习 / 党课讲稿 / 党课讲稿：争做合格党员锻造坚强堡垒",),
    ),
    # --- Download and upload notices ------------------------------------------------------
    # "下载安装国家反诈中心APP" is speech; these name the document.
    Rule(
        "download-notice",
        _re(
            r"""(?:点击|免费|立即|直接)?下载(?:本|此|该|这篇)?(?:文档|文章|全文|原文|附件|word|pdf|doc)
              | (?:文档|资料|文件|word|pdf)(?:免费)?下载(?:地址|链接)?(?:[:：]|$)
              | 下载后(?:可以?|即可)?(?:编辑|修改|使用|阅读)|(?:word|文档)?(?:版)?可编辑
              | (?:用户|网友)(?:自行)?上传|上传(?:者|用户|人)[:：]
              | (?:文档|文件)(?:页数|格式|大小|编号)\s*[:：]
              | (?:点击下载|免费下载|立即下载|下载地址|欢迎下载|下载积分|下载(?:次数|券)
                 |文档贡献者|(?:精品|优质|精选)文档)                 # the download box's words"""
        ),
        LINE,
        DOWNLOAD,
        max_chars=80,
        spare_speech_lines=True,
        examples=(
            "下载文档",
            "本文档由用户上传",
            "（下载后可编辑）",
            "文档下载地址：略",
            "上传者：公文小助手",
            "文档格式：DOCX",
            "立即下载",
        ),
    ),
    # A preview site's warning above its 文档简介 (the text it extracted itself): a sentence,
    # so it needs its own rule (download-notice spares sentences), and prose, so it stands
    # where the head zone has ended: its wording is the site's alone.
    Rule(
        "preview-disclaimer",
        _re(
            r"""(?:资源|文档)预览.{0,12}(?:自动调取|自动生成|自动提取)
              | 显示的完整度及?准确度
              | 请您?下载后查看完整的?(?:文档)?内容"""
        ),
        LINE,
        DOWNLOAD,
        max_chars=100,
        examples=(
            "资源预览文档简介为自动调取，内容显示的完整度及准确度或有误差，请您下载后查看完整的文档内容。",
            "文档预览内容为自动生成，请下载后查看完整内容。",
        ),
    ),
    # --- Ads and slogans ------------------------------------------------------------------
    Rule(
        "ad-slogan",
        _re(
            r"""仅供(?:学习|参考|个人)(?:交流|使用|之用|学习|参考)?[\s,，、]*(?:禁止|请勿|严禁|不得)
                 (?:外传|转载|传播|商用)
              | """
            + _bare(r"禁止外传|请勿外传|严禁外传|内部资料\s*请勿外传")
            + r"""
              | (?:立享|即享|包更新|一手资料|独家资料|资料包|精品资料|原创首发|记住本站)  # words
              | 限时(?:优惠|特价|免费|折扣)|(?:免费|扫码)(?:领取|获取|赠送)|扫码(?:购买|咨询)
              | 全网(?:最全|首发|独家)|(?:每日|每天|持续|长期)更新
              | (?:联系|咨询|在线)客服|^客服(?:电话|QQ|微信)?\s*[:：]?
              | ^(?:微信)?(?:订阅号|服务号)$|^(?:微信)?公众号(?:名称)?\s*[:：]
              | 欢迎(?:访问|光临)
              | 欢迎来到(?:本站|[^。，\s]{0,10}?(?:网|文库)(?!\w))   # 第一范文网！ (not 网络)
              | 本站(?:网址|域名)|(?:百度|搜索)一下
              | ^推\s*一\s*荐\s*[:：]                          # 360doc: 推一荐：发原创得奖金"""
        ),
        LINE,
        AD,
        max_chars=60,
        spare_speech_lines=True,
        examples=(
            "仅供学习 禁止外传",
            "现在订阅立享前3年的所有权益和资料",
            "联系客服",
            "微信订阅号",
            "【内部资料 请勿外传】",
            "限时特价，手慢无！",
            "扫码免费领取党课讲稿合集",
            "扫码咨询 获取更多写作素材",
            "全网最全党课讲稿合集",
            "每日更新 海量公文范文",
            "客服电话：400-123-4567",
            "公众号：公文写作助手",
            "欢迎访问第一范文网",
            "欢迎来到第一范文网！",
            "请牢记本站域名，方便下次访问",
            "百度一下，找到本站",
            "推一荐：发原创得奖金，“原创奖励计划”来了！",
        ),
    ),
    # A header or footer line that is just a document site's name and slogan.
    Rule(
        "site-name",
        _re(
            # not a watermark, a breadcrumb or a category navigation line: not a header
            r"^(?!.*(?:来源|来自|出处|[>＞»›]|[|｜/·].*[|｜/·]))"
            + _DECOR
            + r"""\S{0,10}(?:文库|范文网|文档网|资料网|公文网|写作网|材料网|道客巴巴|豆丁网?|
                 360doc|个人图书馆)(?:$|[\s\-—|｜:：,，])"""
            + _NOT_SENTENCE
        ),
        LINE,
        AD,
        max_chars=40,
        spare_speech_lines=True,
        examples=("百度文库 - 让每个人平等地提升自我", "XX文库"),
    ),
    Rule(
        "contact-line",
        _re(r"^[^。！？!?]{0,12}" + _CONTACT + _CONTACT_ID),  # after a sentence: inline
        LINE,
        AD,
        max_chars=40,
        spare_speech_lines=True,
        examples=("咨询QQ：206157060", "加微信wenmi2020获取更多资料", "详情加Q：11984677"),
    ),
    # --- Related-article lists ------------------------------------------------------------
    Rule(
        "related-list",
        _re(
            "^"
            + _DECOR
            + r"""(?:(?:猜你喜欢|相关文章|相关推荐|热门文章|热门推荐|推荐阅读|延伸阅读|相关阅读|
                    相关范文|精彩推荐|最新文章|热门范文|相关文档|相关资料|同类文章|类似文章|
                    热门搜索|相关热搜|最新推荐|精选推荐|为您推荐|本文相关|更多精彩)  # headings
                 | (?:您|你)可能(?:还)?(?:感兴趣|喜欢)(?:的文章|的内容)?
                 | 看了(?:本文|这篇文章|该文章|此文)的人(?:还)?(?:看了|在看)
                 | 大家(?:还)?在看|更多相关(?:文章|内容|范文)?|往期(?:回顾|推荐|精选))"""
            + _DECOR
            + "(?:更多"
            + _DECOR
            + ")?(?:[:：].*)?$"
        ),
        SECTION,
        RELATED,
        max_chars=200,
        footer=True,
        examples=(
            "猜你喜欢",
            "相关文章：",
            "【相关推荐】",
            "你可能感兴趣的文章",
            "看了本文的人还看了",
            "大家还在看",
            "更多相关范文>>",
            "往期回顾",
        ),
    ),
    Rule(
        "prev-next",
        _re(r"""^(?:上一篇|下一篇|上一篇文章|下一篇文章|前一篇|后一篇)(?:文章)?\s*[:：]?"""),
        LINE,
        RELATED,
        max_chars=120,
        footer=True,
        examples=("上一篇：在全市公安工作会议上的讲话", "下一篇：没有了"),
    ),
    # A site's category navigation above the title or in the footer: three or more
    # categories split by one kind of mark, two of them at least named like a kind of
    # document, maybe after the site's name. ("忠诚·干净·担当" names no kind of document.)
    Rule(
        "category-nav",
        _re(
            "^(?=(?:.*?"
            + _CATEGORY
            + r"(?:\s*"
            + _NAV_MARK
            + r"|\s*$)){2})"  # two document categories at least
            + r"(?:\S{1,15}?[:：]\s*|【[^】\n]{1,15}】\s*|\S{1,15}?(?:网|文库|站)\s+)?"  # site name
            + _NAV_ITEM
            + r"\s*(?P<mark>"
            + _NAV_MARK
            + r")\s*"
            + _NAV_ITEM
            + r"(?:\s*(?P=mark)\s*"
            + _NAV_ITEM
            + r")+\s*(?P=mark)?$"
        ),
        LINE,
        BREADCRUMB,
        max_chars=120,
        spare_speech_lines=True,
        zone=EDGES,
        examples=(
            "范文大全 | 工作计划 | 述职报告 | 心得体会",
            "【XX公文网】首页·工作总结·述职报告·心得体会",
            "XX范文网 工作总结/工作计划/讲话致辞/党团范文",
        ),
    ),
    # --- Page markers (PDF and paged-site copies) -----------------------------------------
    # A marker often sits between the two halves of a sentence; structure() re-joins them.
    Rule(
        "page-marker",
        _re(
            r"^(?:第\s*"
            + _NUM
            + r"\s*页\s*(?:[/／,，、|]?\s*共\s*"
            + _NUM
            + r"\s*页)?"  # 第2页/共5页
            r"|(?:全文|本文)?共\s*" + _NUM + r"\s*页\s*"
            r"(?:[,，、]?\s*(?:当前(?:为|是)?|这是)?第\s*"
            + _NUM
            + r"\s*页)?"  # 全文共3页，当前为第1页
            r"|[-—–－─]+\s*"
            + _NUM
            + r"\s*[-—–－─]+"  # - 7 -, — 7 —
            + r"""
                | Page\s*\d+(?:\s*(?:of|/)\s*\d+)?                           # Page 3 of 10
                | \d{1,4}\s*[/／]\s*\d{1,4}                                 # 3 / 10
                | \d{1,3}                                                     # a bare page number
                | (?=.*(?:上一页|下一页))                        # pagination: 上一页 1 2 3 下一页
                  (?:首页|上一页|下一页|尾页|末页|\d++|\s++|…|\.{3})++   # (possessive: no backtracking)
              )$"""
        ),
        LINE,
        PAGE_NUMBER,
        max_chars=60,
        examples=(
            "第2页/共5页",
            "第 2 页 共 5 页",
            "全文共3页，当前为第1页",
            "- 7 -",
            "— 7 —",
            "Page 3 of 10",
            "3 / 10",
            "12",
            "上一页 1 2 3 4 下一页",
        ),
    ),
    # --- End marks (the speech is complete) -----------------------------------------------
    Rule(
        "end-mark",
        _re(
            r"""^[\s（(【\[〔—\-－_~*·]*(?:(?:全文完|本文完|全文结束|正文完|完|END)|THE\s*END)
                 [\s）)】\]〕—\-－_~*·]*$"""
        ),
        LINE,
        END_MARK,
        max_chars=30,
        end_mark=True,
        examples=("（全文完）", "(完)", "—全文完—", "【完】", "— END —", "THE END"),
    ),
    Rule(
        "end-mark-tail",
        # (The lookbehind keeps a long run of dashes from being rescanned at every dash.)
        _re(r"""(?<![（(【\[—\-])[（(【\[—\-]+\s*(?:全文完|本文完|全文结束)\s*[）)】\]—\-]*\s*$"""),
        INLINE,
        END_MARK,
        end_mark=True,
        examples=("我就讲这些，谢谢大家！（全文完）",),
    ),
    # --- Watermarks inside a paragraph ----------------------------------------------------
    # Sites splice their name into the text every few hundred characters; the paragraph
    # around the watermark is speech and stays.
    Rule(
        "watermark",
        _re(
            _OPEN
            + r"""\s*(?:来源|出处|本文来自|本文来源|文章来自|转自|摘自|来自)\s*[:：]?
                 [^）)】\]〕〗\n]{0,30}?(?:"""
            + _SITE
            + r"""|网友|www|\.com|\.net|仅供参考|原创|小编)
                 [^）)】\]〕〗\n]{0,20}"""
            + _CLOSE
            + "|"
            + _OPEN
            + r"[^）)】\]〕〗\n]{0,20}"
            + _SITE
            + r"[^）)】\]〕〗\n]{0,20}"
            + _CLOSE
            + r"|(?<=[。！？\s])更多"  # "…。更多范文请访问XX网。"
            + _WATERMARK_INVITE
            + "[。！]?|更多"
            + _WATERMARK_INVITE
        ),
        INLINE,
        WATERMARK,
        examples=(
            "要坚持问题导向【来源：XX文库 仅供参考】，不断提高工作水平。",
            "要坚持问题导向，（本文来自XX范文网）不断提高工作水平。",
            "不断提高工作水平。更多范文请访问第一范文网。要坚持问题导向。",
        ),
    ),
    Rule(
        "source-inline",
        _re(
            _OPEN
            + r"""\s*(?:来源|出处|转自|摘自|来自|稿件来源)\s*[:：]
                 [^）)】\]\n]{1,20}(?:网|报|客户端|公众号|微信|微博)[^）)】\]\n]{0,10}"""
            + _CLOSE
        ),
        INLINE,
        SOURCE_NOTE,
        examples=("全市公安机关将持续推进执法规范化建设。（来源：人民网）",),
    ),
    # --- Inline URLs and contact numbers ----------------------------------------------------
    # Government sites (.gov.cn) a speaker cites are speech; everything else is the source
    # site's and must not reach the page.
    Rule(
        "inline-url",
        _re(
            r"""(?:https?://|www\.)(?!(?:[A-Za-z0-9-]+\.)*gov(?:\.cn)?(?![A-Za-z0-9.-]))
                [A-Za-z0-9\-._~:/?#@!$&'*+,;=%\[\]]*[A-Za-z0-9/_\-=#%~]
              | (?<![A-Za-z0-9@.\-])                       # a bare domain, not an e-mail
                (?!(?:[A-Za-z0-9-]+\.)*gov(?:\.cn)?(?![A-Za-z0-9.-]))
                (?:[A-Za-z0-9-]+\.)+(?:com|net|cn|org|cc|top|vip|info)(?![A-Za-z0-9.-])
                (?:/[A-Za-z0-9\-._~/?#=&%]*)?"""
        ),
        INLINE,
        URL,
        examples=(
            "要坚持问题导向http://www.example.com/a/1.html，不断提高工作水平。",
            "要坚持问题导向（diyifanwen.com），不断提高工作水平。",
        ),
    ),
    Rule(
        "inline-contact",
        _re(r"(?:(?:咨询|联系|添加|加)\s*)?" + _CONTACT + _CONTACT_ID),
        INLINE,
        AD,
        examples=("我就讲这些，谢谢大家！咨询QQ206157060",),
    ),
    # --- Leftover characters -------------------------------------------------------------
    # Placeholders a copy leaves for pictures and videos, and lines of nothing but arrows,
    # stars or emoji (WeChat "👇👇👇", "▼"). Not "○○" (a redaction) nor "……" (an omission).
    Rule(
        "placeholder",
        _re(r"""\[(?:图片|图|视频|音频|表情|动图|img|image|pic)\]"""),
        INLINE,
        JUNK,
        examples=("[图片]", "会议现场[图片]全体民警认真聆听。"),
    ),
    Rule(
        "decoration-line",
        _re(
            r"""^[\s\u2190-\u21ff\u2500-\u25ca\u25cc-\u25ff\u2600-\u27bf\u2b00-\u2bff
                 \U0001f000-\U0001faff\ufe0f\u200d]+$"""
        ),
        LINE,
        JUNK,
        examples=("👇👇👇", "▼", "★★★★★", "↓ ↓ ↓"),
    ),
    # --- WeChat's phone UI after an article -------------------------------------------------
    # Selecting all in WeChat's reader copies the buttons and dialogs under the article:
    # 关注该公众号, 知道了, 使用小程序, 取消/允许, 视频, 小程序. Only in the tail zone, alone on a line.
    Rule(
        "wechat-ui",
        _re(
            r"""^(?:关注该公众号|知道了|使用小程序|取消|允许|视频|小程序|分享|留言|收藏|在看|赞)$"""
        ),
        LINE,
        SHARE_PROMPT,
        max_chars=10,
        zone=TAIL,
        examples=("关注该公众号", "知道了", "使用小程序", "取消", "允许", "视频", "小程序"),
    ),
    # A line of nothing but Chinese sentence marks ("：，。") left by a copy. Not "……" or
    # "——" (an omission or a dash line is the speaker's).
    Rule(
        "punctuation-line",
        _re(r"""^[\s，。、；：！？,.;:!?]+$"""),
        LINE,
        JUNK,
        max_chars=20,
        zone=EDGES,
        examples=("：，。",),
    ),
    # --- Leftover characters (scripts, counters) outside the speech -----------------------
    # Only in the head/tail zones: "2021.6.28" under a title has no Chinese either.
    Rule(
        "junk-code",
        _re(
            r"^(?!.*[" + HAN_CLASS + "])"
            r"""(?:
                  [!-/:-@\[-`{-~\s]+                                   # ");  }  -->  ]]>
                | (?:var|let|const|function|document\.|window\.|\$\(|if\s*\(|try\s*\{|@media
                  |<\?|\?>|\.[\w-]+\s*\{|\#[\w-]+\s*\{).*
                | .*[;{]\s*                                             # var x=…;  a{
                | \d+(?:\s+\d+)+                                       # 47 3748756
              )$"""
        ),
        LINE,
        JUNK,
        zone=EDGES,
        examples=('");', "}", "var _hmt = _hmt || [];", "47 3748756"),
    ),
    Rule(
        "junk-tail",
        _re(
            r"^(?!.*[" + HAN_CLASS + CJK_PUNCTUATION_CLASS + FULLWIDTH_FORMS_CLASS + "])"
            # (no Chinese, no CJK punctuation)
            r"""(?!\s*\d{4}\s*[./\-]\s*\d{1,2}(?:\s*[./\-]\s*\d{1,2})?\s*$)  # not a date 2021.6.28
                (?![Xx×＊*○\s]+$)                                   # not a redaction "XX"
                .+$"""
        ),
        LINE,
        JUNK,
        zone=TAIL,
        examples=("Powered by DedeCMS", "1624859233"),
    ),
)


def rule_named(name: str) -> Rule:
    """The rule called ``name`` (KeyError if there is none)."""
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)


# --- Site furniture above the title ------------------------------------------------------
# Copies put site furniture above a speech's title: the file's name, the date the site
# posted it, a category label, the site's name, a newspaper's masthead or a PDF's running
# header. title_block.read_head() chooses the title by what it looks like and where it
# stands (see there); these entries only say which lines are furniture for sure (they are
# never the title when another candidate exists) and which reason to log for a line that
# stands above the chosen title. A line above the title that none of them names is logged
# with HEAD_FURNITURE_REASON.


@dataclass(frozen=True)
class Furniture:
    """A kind of line that a site puts above a speech's title."""

    name: str
    pattern: re.Pattern[str]
    reason: str
    examples: tuple[str, ...]  # lines it must name (checked by the tests)
    sure: bool = True  # never the title when another candidate exists

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"furniture name {self.name!r} must be ASCII kebab-case")
        if self.reason not in REASONS:
            raise ValueError(f"furniture {self.name}: unknown reason {self.reason!r}")


# The file name of a document-sharing site's download box ("党课讲稿.docx"). When it is the
# only title there is, the title is its stem and only the extension is logged.
FILE_NAME = re.compile(
    r"^(?P<stem>\S.{0,80}?)\s*"
    r"(?P<extension>\.(?:docx?|wps|pdf|txt|pptx?|xlsx?|rtf)(?:_第\s*\d+\s*页)?)$",
    re.IGNORECASE,
)
_DATE_TIME = (  # a valid calendar day ("2021.13.5" is no date), maybe with the time
    r"\d{4}\s*[-/.年]\s*(?:0?[1-9]|1[0-2])\s*[-/.月]\s*(?:0?[1-9]|[12]\d|3[01])\s*[日号]?"
    r"(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?(?:\s*[:：]\s*\d{1,2}\s*秒?)?)?"
)
_PUBLISH_LABEL = r"(?:发布|更新|上传|发表|来源|作者|编辑|责编|日期|时间|浏览|阅读|点击|字数)"

TITLE_FURNITURE: tuple[Furniture, ...] = (
    Furniture(
        "file-name",
        FILE_NAME,
        DOWNLOAD,
        examples=("党课讲稿.docx", "在全市公安工作会议上的讲话.DOC", "应收账款管理制度.docx_第1页"),
    ),
    Furniture(
        "publish-line",
        _re(
            "^"
            + _DATE_TIME
            + r"\s*$"  # 2024-07-30 / 2023年04月03日 / 2020-03-11 10:46
            + "|^"
            + _DATE_TIME
            + r"\s+.*"
            + _PUBLISH_LABEL  # 2020-03-09  来源: 学习时报
            + "|"
            + _PUBLISH_LABEL
            + r"""\s*[:：]                    # 作者：佚名
              | (?:发布|发表)于                  # XX公安 发布于 2023-05-06
              | ^\S{1,8}(?:老师|小编)$          # the poster on a 范文网: 刘莉莉老师
              | (?:已关闭评论|评论已关闭)$        # a blog page's post line"""
        ),
        BYLINE,
        examples=(
            "关于七一党课讲稿2022专题党课政法(精选2篇)已关闭评论",
            "2024-07-30",
            "2023年04月03日",
            "2020-03-11 10:46",
            "2020-03-09  来源: 学习时报 作者:",
            "作者：佚名",
            "平安XX 发布于 2023-05-06",
            "刘莉莉老师",
        ),
    ),
    Furniture(
        "category-label",
        _re(
            r"""^(?:正文|正文复制|复制全文|导航|网站导航|栏目导航|全部分类|栏目|频道|信息公开|首页|返回列表
                 |资源描述|文档简介|文档介绍|资源简介)$
              | ^\S{1,8}\s+导航$                  # 行政 导航
              | ^\S{2,12}正文$                     # 中新网福建新闻正文
              | ^(?:所属分类|所属栏目|所在栏目|栏目分类)\s*[:：]   # 所属分类:好词好句
              | ^[^>＞»›。！？\s]{1,10}\s*(?:>|＞|»|›)\s*[^>＞»›。！？]{4,60}$   # 常用范文 > title"""
        ),
        BREADCRUMB,
        examples=(
            "正文复制",
            "行政 导航",
            "中新网福建新闻正文",
            "资源描述",
            "所属分类:好词好句",
            "常用范文 > 市委书记在全市会议上的讲话范文",
        ),
    ),
    # A document site's facts about the file, each on its line above the text: its size
    # and its number of pages ("38.74KB", "4 页"; wenku, doc88).
    Furniture(
        "document-facts",
        _re(
            r"""^\d+(?:\.\d+)?\s*(?:[KMG]B?|[KMG]iB|字节)$   # 38.74KB
              | ^(?:共\s*)?\d{1,4}\s*页$                      # 4 页 / 共12页"""
        ),
        DOWNLOAD,
        examples=("38.74KB", "1.2 MB", "4 页", "共12页"),
    ),
    # A blog page's font-size buttons, copied as text: "A+", "A-", "A+ A-".
    Furniture(
        "font-size-control",
        _re(r"""^(?:[AＡ]\s*[+＋\-－]\s*){1,3}$"""),
        JUNK,
        examples=("A+", "A+ A-"),
    ),
    # Not sure: "专题党课" alone may be a speech's whole title. Above a title that says it is
    # a speech it is the site's category; else it can be the title.
    Furniture(
        "genre-label",
        _re(
            r"""^(?:专题|领导|优秀|最新|精选|热门|常用)?
                 (?:党课|讲话|讲稿|发言|致辞|演讲|报告|范文|材料|主持词|心得体会)
                 (?:讲稿|稿|范文|材料|大全|汇编|精选|范例)?$"""
        ),
        BREADCRUMB,
        examples=("党课讲稿", "领导讲话稿", "专题党课", "常用范文"),
        sure=False,
    ),
    Furniture(
        "site-line",
        _re(
            r"""(?<![A-Za-z0-9.-])[A-Za-z0-9-]+\.(?:com|cn|net|org|cc|top)(?![A-Za-z])  # 31ppt.com
              | (?:下载平台|分享平台|文档分享|资料分享|一秒记住|手机阅读       # site words
                 |文库|范文网|文档网|资料网|公文网|写作网|材料网|道客巴巴|豆丁|360doc|个人图书馆
                 |书网|文学网)"""
        ),
        AD,
        examples=(
            "三一办公31ppt.com（应用文档模板下载平台）",
            "第一范文网 - 免费的范文下载平台",
            "铁书网",
        ),
    ),
    Furniture(
        "page-header",
        _re(
            r"""统一刊号|CN\s*\d{2}\s*-\s*\d{4}|机关报|日报社|报社出版   # a newspaper's masthead
              | 学习(?:材料|资料)(?:之[一二三四五六七八九十\d]+)?$      # a study series' header
              | (?:内部资料|注意保存|参阅件)"""
        ),
        RUNNING_HEADER,
        examples=(
            "国内统一刊号：CN51-0018 中共甘孜州委机关报·甘孜日报社出版",
            "XX市公安局党委理论学习中心组学习材料",
            "内部资料 注意保存",
        ),
    ),
)
# A line above the chosen title that no entry names (an organisation's letterhead, a
# site's genre label "党课讲稿") is the page's header.
HEAD_FURNITURE_REASON = RUNNING_HEADER
HEAD_FURNITURE_RULE = "head-furniture"


def furniture_of(text: str) -> Furniture | None:
    """The kind of site furniture a (stripped) line is, or None."""
    text = text.strip()
    for furniture in TITLE_FURNITURE:
        if furniture.pattern.search(text):
            return furniture
    return None


# Rules with ``spare_speech_lines`` never fire on a line this matches: a sentence ("。",
# "；"), a numbered heading ("一、", "（二）") or a numbered item ("（1）").
SPEECH_LINE = re.compile(
    "[。" + CLAUSE_END_MARKS + "]|" + NUMBERED_HEADING.pattern + r"|^[（(][0-9]+[）)]"
)


# --- Heuristics for the head and tail zones ------------------------------------------------
# The head zone is everything before the first line of prose, the tail zone everything
# after the last one. There, sites stack ads whose wording no rule can list ("酷乐文行",
# "自建平台、实时分享"). A run of short lines (blank lines allowed) that lies BETWEEN two
# removed lines is taken as part of the ad block (rule "ad-block", reason 广告) — unless one
# of its lines looks like a title, a date or a heading, or ends a sentence. Lines the editor
# dropped bound no block (they are not site noise).

# A block line glued (no blank line) to the removed line on one side only is that line's
# header ("【打击倒卖活动】" above a membership notice) and takes its reason, if it is one of:
AD_BLOCK_REASONS = frozenset({AD, MEMBERSHIP})
# A line of prose: a sentence (a sentence mark and this many Chinese characters), or any
# line with this many Chinese characters (a cut-off paragraph). A title is not prose.
PROSE_MIN_HAN = 10
PROSE_LONG_HAN = 40
SENTENCE_MARK = HAS_SENTENCE_MARK
# ... or a comma: a hard-wrapped copy's lines seldom hold a whole sentence, but a line of
# ten Chinese characters with a comma in it is speech, not a title or an ad.
PROSE_MARK = re.compile(HAS_SENTENCE_MARK.pattern + "|[，,]")
# The ad-block and footer heuristics only take lines shorter than this ...
SHORT_LINE_CHARS = 30
# ... that do not end a sentence ...
SENTENCE_END = ENDS_SENTENCE
# ... and do not look like a title, subtitle, date, speaker line, salutation or heading.
TITLE_LIKE = re.compile(
    r"""讲话|党课|讲稿|发言|致辞|报告|会议|座谈|动员|部署|总结|专题|授课|主持词|演讲|提纲
      | 在.{1,40}上的 | 同志们 | 各位
      | 书记|局长|厅长|部长|主任|市长|县长|所长|队长|政委|委员|主席|同志
      | ^——|^—|^--
      | \d{4}\s*年|[〇零一二三四五六七八九]{4}年|^\s*[（(]?\d{4}[.．/\-]\d{1,2}
      | ^\d+[.．、]|^第[一二三四五六七八九十\d]+[章节部分讲篇]"""
    "|" + NUMBERED_HEADING.pattern,
    re.VERBOSE,
)
# In the tail zone, after a line of a footer rule ("微信扫一扫…", "版权声明", "本文标题:…"),
# the short lines that follow are footer too (rule "footer-block", reason 广告), e.g.
# "微信订阅号", "联系客服", a site name. Numbered headings are still never taken.
FOOTER_HEADING = NUMBERED_HEADING


# --- HTML residue -----------------------------------------------------------------------
# Only real HTML element names count as tags, so "<中华人民共和国人民警察法>" or "x<5" stay
# text. Script/style elements go with their content; comments too. Tags are removed BEFORE
# entities are decoded, so "&lt;script&gt;" becomes the text "<script>" and stays text.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HTML_ELEMENTS = _words(
    """a abbr acronym address area article aside audio b base basefont bdi bdo big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist dd del
    details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame
    frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label
    legend li link main map mark marquee menu meta meter nav nobr noframes noscript object ol
    optgroup option output p param picture pre progress q rp rt ruby s samp script section
    select small source span strike strong style sub summary sup svg table tbody td template
    textarea tfoot th thead time title tr track tt u ul var video wbr xml"""
)
# These end a paragraph (``</p>``, ``<br>``) or start one (``<p>``, ``<div>``): the line is
# split there and the text before gets SourceLine.hard_break.
HTML_BREAK_ELEMENTS = _words(
    """address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4
    h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul"""
)
HTML_BLOCK_PATTERN = re.compile(
    r"""<(?P<element>script|style)\b[^>]*>.*?</(?P=element)\s*>   # with their content
      | <!--.*?-->                                                # comments
      | <!\[CDATA\[.*?\]\]>""",
    re.VERBOSE | re.IGNORECASE | re.DOTALL,
)
HTML_TAG_PATTERN = re.compile(
    r"""<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9]*)?)   # p, o:p
        (?:\s+[A-Za-z_:@][-A-Za-z0-9_:.@]*                          # attribute name
           (?:\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'<>`]+))?)*       # = value
        \s*/?>
      | <!DOCTYPE[^>\n]*>|<\?xml[^>\n]*\?>""",
    re.VERBOSE | re.IGNORECASE,
)
# Entities need their ";" so "R&D" or "&copy2023" stay as written.
HTML_ENTITY_PATTERN = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
