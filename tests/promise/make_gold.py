#!/usr/bin/env python3
"""Build a links gold file from hand-checked (quote, context) pairs: occurrences computed."""
import json
from pathlib import Path
RAW = Path(__file__).resolve().parents[3] / 'shared' / 'corpus' / 'raw'

def occ(doc, quote, context):
    sq = ''.join(doc.split()); ctx = ''.join(context.split()); q = ''.join(quote.split())
    at = sq.find(ctx)
    assert at >= 0, context
    pos = sq.find(q, at)
    assert 0 <= pos < at + len(ctx), (quote, context)
    n, p = 0, -1
    while True:
        p = sq.find(q, p + 1)
        n += 1
        if p == pos:
            return n

def build(name, a, b, rows):
    da = (RAW / f'{a}.txt').read_text(encoding='utf-8'); db = (RAW / f'{b}.txt').read_text(encoding='utf-8')
    links = []
    for tq, tctx, oq, octx, verdict, note in rows:
        link = {"target": {"quote": tq, "occurrence": occ(da, tq, tctx)},
                "outcome": None if oq is None else {"quote": oq, "occurrence": occ(db, oq, octx)},
                "verdict": verdict, "note": note}
        links.append(link)
    gold = {"target_document": f"../../../shared/corpus/raw/{a}.txt",
            "outcome_document": f"../../../shared/corpus/raw/{b}.txt", "links": links}
    Path(__file__).with_name(f'{name}.links.json').write_text(json.dumps(gold, ensure_ascii=False, indent=1) + '\n', encoding='utf-8')
    print(name, len(links))

build('hailaer-2016-2017', 'district-hailaer-2016', 'district-hailaer-2017', [
 ('7.5%', '地区生产总值增长7.5%', '7.2%', '同比增长7.2%', 'partly', 'GDP growth 7.5% planned, 7.2% reached'),
 ('309亿元', '达到309亿元', '303.6亿元', '地区生产总值完成303.6亿元', 'partly', 'GDP level short of 309亿元'),
 ('5%', '公共财政预算收入增长5%', '13%', '按可比口径增长13%', 'exceeded', 'revenue growth 13% against 5%'),
 ('15.8亿元', '达到15.8亿元', '17亿元', '一般公共财政预算收入完成17亿元', 'exceeded', ''),
 ('13%', '区本级固定资产投资增长13%', '16.6%', '同比增长16.6%', 'exceeded', ''),
 ('9%', '社会消费品零售总额增长9%', '9.5%', '同比增长9.5%', 'met', '9.5% against 9%'),
 ('8%', '均增长8%', '7%', '城镇常住居民人均可支配收入完成32943元,同比增长7%', 'partly', 'urban income 7% (rural 7.1%) against 8% for both'),
 ('700万人次', '700万人次', '704万人次', '全年接待游客达到704万人次', 'met', ''),
 ('83亿元', '83亿元', '82.8亿元', '旅游收入完成82.8亿元', 'partly', '82.8亿元 against 83亿元'),
 ('2万平方米', '年内完成2万平方米仓储库', '2万平方米', '仓储库2万平方米', 'met', ''),
 ('8008户', '8008户改造任务', '1.4万户', '拆迁1.4万户', 'exceeded', 'shanty-town households: 1.4万 against 8008'),
 ('20座', '年内建成20座公厕', '28座', '改造新建公厕28座', 'exceeded', ''),
 ('5300人', '新增就业5300人', '6790人', '实现城镇新增就业6790人', 'exceeded', ''),
 ('1500人', '再就业1500人', '1582人', '再就业1582人', 'met', ''),
 ('96户', '农村贫困人口96户', '96户', '96户、183人实现全部脱贫', 'met', ''),
 ('183人', '183人全部稳定脱贫', '183人', '96户、183人实现全部脱贫', 'met', ''),
 ('136个', '建成平安小区136个', '136个', '建成平安小区136个', 'met', ''),
 ('100%', '综合服务管理平台覆盖率达100%', '100%', '综合服务管理平台覆盖率达到100%', 'met', ''),
])

build('national-2023-2024', 'national-2023', 'national-2024', [
 ('5%', '国内生产总值增长5%左右', '5.2%', '增长5.2%，增速居世界主要经济体前列', 'met', 'GDP growth 5.2% against about 5%'),
 ('1200万人', '城镇新增就业1200万人左右', '1244万人', '城镇新增就业1244万人', 'met', 'within about 5% of 1200万'),
 ('5.5%', '城镇调查失业率5.5%左右', '5.2%', '城镇调查失业率平均为5.2%', 'met', 'a ceiling: 5.2% under about 5.5%'),
 ('3%', '居民消费价格涨幅3%左右', '0.2%', '居民消费价格上涨0.2%', 'met', 'a ceiling: 0.2% under about 3%'),
 ('1.3万亿斤', '粮食产量保持在1.3万亿斤以上', '1.39万亿斤', '粮食产量1.39万亿斤', 'exceeded', ''),
 ('3%', '赤字率拟按3%安排', None, None, 'not_mentioned', 'the 2024 review does not report the deficit ratio'),
 ('3.8万亿元', '地方政府专项债券3.8万亿元', None, None, 'not_mentioned', 'not reported in the 2024 review'),
])
