#!/usr/bin/env python3
"""Writes year2023.json: Bălți's 2023 on the old platform as its yearly report published it.

112 reports (83 finished, 29 in progress; Spații verzi 31, Iluminat public stradal 25, Drumuri,
trotuare și securitate rutieră 18, the rest in other categories), every one answered by the
city hall, and 12 more polls of 2023 beside PFON-23 (demo.json), 13 in all with over 2,000
votes. The texts are plausible, not the real ones; the figures are the published ones.
Deterministic: run it again and the file does not change.  usage: python3 make_2023.py"""
import json, random, datetime, os

rng = random.Random(2023)
BOUNDARY = json.load(open(os.path.join(os.path.dirname(__file__), 'balti.json')))['boundary']

def inside(lat, lng):
    n, hit = len(BOUNDARY), False
    for i in range(n):
        (la1, lo1), (la2, lo2) = BOUNDARY[i], BOUNDARY[(i + 1) % n]
        if (lo1 > lng) != (lo2 > lng) and lat < (la2 - la1) * (lng - lo1) / (lo2 - lo1) + la1:
            hit = not hit
    return hit

def point():
    while True:
        lat, lng = rng.uniform(47.735, 47.785), rng.uniform(27.895, 27.96)
        if inside(lat, lng):
            return round(lat, 6), round(lng, 6)

STREETS = ["str. Independenței", "bd. Victoriei", "str. Ștefan cel Mare", "str. Decebal",
           "str. Sfântul Nicolae", "str. Mihai Viteazul", "str. Kiev", "str. 31 August 1989",
           "str. Alecu Russo", "str. Pușkin", "str. Conev", "str. Strîi", "str. Bulgară",
           "str. Calea Ieșilor", "str. Dostoievski", "str. Ion Creangă", "str. Hotinului",
           "str. Vasile Alecsandri", "str. Mihai Eminescu", "str. Tolstoi", "str. Gagarin",
           "str. Șevcenko", "str. Lesnaia", "str. Mircea cel Bătrân", "str. Păcii"]

TOPICS = {
    "green-spaces": (31, "Î.M. „Spații Verzi”", [
        ("Copac uscat lângă bloc", "Un copac uscat se apleacă spre parcarea blocului și poate cădea la primul vânt puternic."),
        ("Iarba necosită în scuar", "Iarba din scuar a crescut foarte înaltă; copiii nu se mai pot juca, iar seara apar țânțari."),
        ("Crengi rupte pe trotuar", "După furtună, mai multe crengi mari au rămas pe trotuar și pietonii merg pe carosabil."),
        ("Tufari care acoperă indicatorul", "Tufarii au crescut peste indicatorul de trecere și șoferii nu-l mai văd."),
        ("Răsaduri distruse în parc", "Straturile de flori de la intrarea în parc au fost călcate și nu au fost refăcute."),
        ("Arbore cu ramuri pe fire", "Ramurile unui arbore ating firele electrice din fața casei; la vânt se aud scântei."),
    ]),
    "street-lighting": (25, "Î.M. „Lumteh”", [
        ("Felinar stins de o săptămână", "Felinarul de lângă stația de autobuz nu mai funcționează de o săptămână; seara e întuneric."),
        ("Iluminatul stradal arde ziua", "Becurile de pe stradă rămân aprinse toată ziua, de câteva zile la rând."),
        ("Stâlp de iluminat înclinat", "Un stâlp de iluminat s-a înclinat după ce a fost lovit de o mașină și pare instabil."),
        ("Trecere de pietoni neluminată", "Trecerea de pietoni din fața școlii nu este luminată; seara copiii traversează pe întuneric."),
        ("Lampă care pâlpâie", "Lampa de pe colț pâlpâie toată noaptea și deranjează locatarii."),
    ]),
    "roads": (18, "Direcția construcții capitale", [
        ("Groapă mare pe carosabil", "O groapă adâncă s-a format pe banda din dreapta; mașinile o ocolesc pe contrasens."),
        ("Trotuar surpat", "O porțiune de trotuar s-a surpat lângă gardul școlii; e periculos pentru copii."),
        ("Marcaj șters la trecere", "Marcajul trecerii de pietoni s-a șters aproape complet și șoferii nu opresc."),
        ("Capac de canal lipsă pe drum", "Un capac de canal lipsește de pe carosabil; cineva a pus o cracă să-l semnalizeze."),
        ("Bordură spartă la intersecție", "Bordura de la intersecție e spartă și bucățile de beton au rămas pe trecere."),
    ]),
    "waste": (10, "Î.M. „Gospodăria Locativ-Comunală”", [
        ("Containere pline de trei zile", "Containerele de gunoi nu au fost golite de trei zile și gunoiul s-a împrăștiat."),
        ("Gunoi aruncat lângă garaje", "Cineva a aruncat saci cu deșeuri de construcție lângă garaje."),
    ]),
    "public-transport": (7, "Î.M. „Direcția Troleibuze”", [
        ("Stație fără acoperiș", "Pavilionul stației nu mai are acoperiș; oamenii așteaptă în ploaie."),
        ("Orar lipsă în stație", "În stație nu este afișat orarul troleibuzelor."),
    ]),
    "water-sewerage": (6, "S.A. „Apă-Canal Bălți”", [
        ("Scurgere de apă pe stradă", "Apa curge pe stradă de lângă un cămin de vizitare de câteva zile."),
        ("Canalizare înfundată", "Canalizarea pluvială e înfundată și după ploaie strada se inundă."),
    ]),
    "parking": (5, "Direcția gospodărie comunală", [
        ("Mașini parcate pe trotuar", "Mașinile sunt parcate pe tot trotuarul și pietonii merg pe carosabil."),
    ]),
    "stray-animals": (4, "Serviciul municipal pentru animale", [
        ("Câini fără stăpân lângă școală", "O haită de câini fără stăpân stă zilnic lângă intrarea în școală."),
    ]),
    "public-buildings": (4, "Direcția construcții capitale", [
        ("Rampă de acces stricată", "Rampa pentru scaune cu rotile de la intrarea în policlinică este spartă."),
    ]),
    "other": (2, "Direcția gospodărie comunală", [
        ("Bancă ruptă în parc", "O bancă din parc are scândurile rupte și nu se mai poate sta pe ea."),
    ]),
}
ACCEPTED = "Sesizarea a fost preluată de {dept}; echipa va interveni în cel mai scurt timp."
RESOLVED = ["Problema a fost rezolvată. Vă mulțumim pentru sesizare.",
            "Lucrările s-au încheiat; situația a revenit la normal.",
            "Echipa a intervenit și a remediat problema."]

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")

reports = []
slots = [c for c, (n, _, _) in TOPICS.items() for _ in range(n)]
rng.shuffle(slots)
assert len(slots) == 112
# 29 stay in progress, 83 are finished.
in_progress = set(rng.sample(range(112), 29))
start = datetime.datetime(2023, 1, 3, 7, 0)
for i, cat in enumerate(slots):
    count, dept, texts = TOPICS[cat]
    title, description = rng.choice(texts)
    created = start + datetime.timedelta(minutes=rng.randint(0, 360 * 24 * 60))
    # The city hall answers quickly: within a working day, now and then a little longer.
    answered = created + datetime.timedelta(minutes=rng.choice([35, 50, 75, 90, 120, 150, 180, 240, 300, 420, 600, 900, 1440, 2880]))
    lat, lng = point()
    address = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
    events = [{"to": "accepted", "body": ACCEPTED.format(dept=dept), "department": dept, "at": iso(answered)}]
    status = "accepted"
    if i not in in_progress:
        done = answered + datetime.timedelta(hours=rng.randint(6, 24 * 21))
        events.append({"to": "resolved", "body": rng.choice(RESOLVED), "at": iso(done)})
        status = "resolved"
    reports.append({"category": cat, "title": title, "description": description, "lat": lat, "lng": lng,
                    "address": address, "created_at": iso(created), "status": status, "events": events})
reports.sort(key=lambda r: r["created_at"])

def loc(ro, ru, uk, en):
    return {"ro": ro, "ru": ru, "uk": uk, "en": en}

POLLS = [
    (loc("Sunteți mulțumit de transportul public din Bălți?", "Довольны ли вы общественным транспортом в Бельцах?", "Чи задоволені ви громадським транспортом у Бельцях?", "Are you satisfied with public transport in Bălți?"),
     "2023-02-06", 1, [("Da", 61), ("Parțial", 112), ("Nu", 96)]),
    (loc("Ce ar trebui îmbunătățit la ghișeul unic al Primăriei?", "Что улучшить в едином окне мэрии?", "Що покращити в єдиному вікні мерії?", "What should improve at the city hall's one-stop shop?"),
     "2023-03-01", 2, [("Programul de lucru", 74), ("Programarea online", 88), ("Timpul de așteptare", 63)]),
    (loc("Ce activități culturale doriți vara aceasta?", "Какие культурные мероприятия вы хотите этим летом?", "Які культурні заходи ви хочете цього літа?", "Which cultural activities would you like this summer?"),
     "2023-04-10", 1, [("Concerte în aer liber", 97), ("Cinema în parc", 84), ("Târg de meșteri", 41)]),
    (loc("Unde să fie amenajat un nou teren de joacă?", "Где обустроить новую детскую площадку?", "Де облаштувати новий дитячий майданчик?", "Where should a new playground be built?"),
     "2023-04-24", 1, [("Cartierul Dacia", 58), ("Cartierul Pământeni", 66), ("Centrul orașului", 39)]),
    (loc("Cât de des ar trebui colectat gunoiul menajer?", "Как часто нужно вывозить бытовой мусор?", "Як часто треба вивозити побутове сміття?", "How often should household waste be collected?"),
     "2023-06-19", 1, [("Zilnic", 71), ("De trei ori pe săptămână", 94), ("De două ori pe săptămână", 22)]),
    (loc("Susțineți extinderea pistelor pentru biciclete?", "Поддерживаете ли вы расширение велодорожек?", "Чи підтримуєте ви розширення велодоріжок?", "Do you support more cycle lanes?"),
     "2023-07-03", 1, [("Da", 118), ("Nu", 45), ("Nu știu", 17)]),
    (loc("Ce zi preferați pentru Ziua Orașului?", "Какой день вы предпочитаете для Дня города?", "Який день ви обираєте для Дня міста?", "Which day do you prefer for the City Day?"),
     "2023-08-07", 1, [("Sâmbătă", 109), ("Duminică", 52)]),
    (loc("Cum apreciați curățenia din parcurile orașului?", "Как вы оцениваете чистоту в городских парках?", "Як ви оцінюєте чистоту в міських парках?", "How clean are the city's parks?"),
     "2023-08-28", 1, [("Bine", 48), ("Satisfăcător", 77), ("Rău", 41)]),
    (loc("Ce rute de troleibuz ar trebui prelungite?", "Какие троллейбусные маршруты продлить?", "Які тролейбусні маршрути подовжити?", "Which trolleybus routes should be extended?"),
     "2023-09-11", 2, [("Ruta 1", 54), ("Ruta 3", 69), ("Ruta 5", 47)]),
    (loc("Ce servicii online ale Primăriei folosiți?", "Какими онлайн-услугами мэрии вы пользуетесь?", "Якими онлайн-послугами мерії ви користуєтеся?", "Which online city-hall services do you use?"),
     "2023-10-02", 1, [("Plata taxelor", 58), ("Certificate", 43), ("Niciunul", 29)]),
    (loc("Sunteți de acord cu iluminatul festiv de iarnă în centru?", "Согласны ли вы с праздничной зимней подсветкой в центре?", "Чи згодні ви зі святковим зимовим освітленням у центрі?", "Do you agree with festive winter lights in the centre?"),
     "2023-11-06", 1, [("Da", 133), ("Nu", 38)]),
    (loc("Ce lucrări de iarnă sunt cele mai urgente?", "Какие зимние работы самые срочные?", "Які зимові роботи найтерміновіші?", "Which winter works are most urgent?"),
     "2023-11-27", 1, [("Deszăpezirea trotuarelor", 86), ("Presărarea cu sare", 57), ("Curățarea stațiilor", 28)]),
]
polls = []
for question, opens, max_choices, options in POLLS:
    o = datetime.datetime.fromisoformat(opens).replace(hour=6)
    polls.append({
        "question": question,
        "description": loc("", "", "", ""),
        "opens_at": iso(o),
        "closes_at": iso(o + datetime.timedelta(days=14, hours=15)),
        "max_choices": max_choices,
        # Historical tallies: each vote is one participant's one choice.
        "options": [{"label": label, "votes": votes} for label, votes in options],
    })

total = 142 + sum(v for p in polls for o in p["options"] for v in [o["votes"]])
assert total > 2000, total
with open(os.path.join(os.path.dirname(__file__), 'year2023.json'), 'w') as f:
    json.dump({"reports": reports, "initiatives": [], "polls": polls}, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"{len(reports)} reports, {len(polls) + 1} polls of 2023 with {total} votes")
