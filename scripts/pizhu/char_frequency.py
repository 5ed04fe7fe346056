"""The most common characters of Chinese text, most common first.

Only speed depends on this table (triggers.Prefilter picks, from each string a cleaning
rule requires, its least common character to look for); what the cleaner does is the
same whatever it says. The characters are the 1,000 most frequent in jieba 0.42.1's
dictionary (dict.txt), each word's frequency counted for each of its characters: general
modern Chinese, not this site's corpus. Punctuation and digits, common in any speech,
come first.
"""

from __future__ import annotations

#: Punctuation and digits of ordinary prose, then the 1,000 most frequent characters.
COMMON_CHARS = (
    "，。、；：？！“”‘’（）《》…—·,.;:!?()0123456789"
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于"
    "后就发自之对得主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进"
    "区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度"
    "加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决"
    "张导术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受什组听布百"
    "济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准"
    "究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编越局推满且列觉服双未居除乐企引标确织初青"
    "志率项飞球节察龙响药站施均消客失轻存低甚般击曾防请离落显罗营足素视护副食创余照兴"
    "占巴虽洲村费易试星木黑左宝置跟央识维采六底宫房音环案批切斗富乡另倒若按查故突责严"
    "桥模仅胜杀围席态破承招杨负层须父供续状域似依银范修找九致密终血旅钱赛独细效玉冲获"
    "习医演毛尽脸弹楼艺航陆右协七攻镇检写苏宗章注阿抗弟坐验封紧劳户优财养适陈喜卫排射"
    "哥油刻留急降念云微伤例景拿绝阶座刘刚害印亿沙母酒助闻超审待压升送监策略限竟香配藏"
    "敌呢差仍兰温园树征善波哪词岛止预怕继皮执味份角草男普答益谁船惊核街夏宣掌田久著画"
    "辑奇尼剑吧谈背免孩礼材愿洋春架筑括晚乱乎讲尚良友临激刀夜室既敢邦挥昌板胡欧福港叶"
    "简苦担句岁荆贵娘守辖威宜衣帮块堂额错剧充欢够孙班呼阵销坚练脚退读测吴希宁换版异某"
    "顾曲楚典朱毒菜判救宋茶洪含顺啊鲜败货矿端兄归冷忙买险康评肉吗厂永哈沉散遗停笔假输"
    "牛洞松渐顶训录否述毕督控丰献姑忽爷互亮纳襄登咱钟伯臣雄季脑介鄂召饭暗扩祖齐短烈赶"
    "牌恩诉移诗础露届蒙静喝盘卖植授伊湾博痛减穿逐秘庭陵固禁票灵杂姓泽吸侧庆妈遇追甲馆"
    "补唐炮沿殿刺怪彩俄旧警索岸轮妇载靠附毫怀软骨探雷旁罪枪牙迎序慢盛雨墙恶谷顿危稳熟"
)
