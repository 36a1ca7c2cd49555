"""Print FN/FP/wrong fields of duban vs a gold file (quick diagnostics)."""
import json, sys
from pathlib import Path
sys.path.insert(0, '/work/shared/eval')
import score
from duban import analyse
from duban.evaluate import document_of
gold_path = Path(sys.argv[1])
gold = json.loads(gold_path.read_text())
doc = document_of(gold_path, gold)
text = doc.read_text(encoding='utf-8')
if doc.suffix == '.md':
    tmp = Path('/tmp/diag')/ (doc.stem+'.txt'); tmp.write_text(text, encoding='utf-8'); doc = tmp
res = analyse(doc, assign=False).to_json()
sq = ''.join(text.split())
idx = score.squeeze_index(text) if hasattr(score,'squeeze_index') else None
# gold spans in squeezed
def gspans():
    out=[]
    for q in gold['quantities']:
        quote=''.join(q['quote'].split()); pos=-1
        for _ in range(q.get('occurrence',1)):
            pos=sq.find(quote,pos+1)
        out.append((pos,pos+len(quote),q))
    return out
# map pred raw offsets to squeezed
sidx=[];o=0
for ch in text:
    sidx.append(o)
    if not ch.isspace(): o+=1
sidx.append(o)
preds=[(sidx[p['start']], sidx[p['end']], p) for p in res['quantities']]
G=gspans(); used=set()
for gs,ge,g in G:
    m=[(ps,pe,p) for ps,pe,p in preds if ps<ge and gs<pe]
    if not m:
        print('FN', g['role'], g['quote'], '|', g['indicator'], '||', sq[max(0,gs-25):ge+10]); continue
    ps,pe,p=m[0]; used.add(id(p))
    if p['role']!=g['role']: print('ROLE', g['role'],'->',p['role'], g['quote'], '||', sq[max(0,gs-25):ge+10])
    elif p['value']!=g['value'] and not (p['value'] and g['value'] and abs(p['value']-g['value'])<1e-6*abs(g['value'])) or p['unit']!=g['unit']:
        print('VAL', g['quote'], g['value'], g['unit'], '->', p['value'], p['unit'], p['rule'])
    else:
        gi, pi = g['indicator'], p['indicator']
        # indicator F1 overlap like scorer
        from collections import Counter
        c=sum((Counter(gi)&Counter(pi)).values()); f=2*c/(len(gi)+len(pi)) if gi and pi else 0
        if f<0.5: print('IND', g['quote'], repr(gi), '->', repr(pi))
        if p['comparator']!=g['comparator']: print('CMP', g['quote'], g['comparator'],'->',p['comparator'])
for ps,pe,p in preds:
    if id(p) not in used and not any(ps<ge and gs<pe for gs,ge,_ in G):
        print('FP', p['role'], p['quote'], '|', p['indicator'], p['rule'], '||', sq[max(0,ps-25):pe+10])
