#!/usr/bin/env python3
"""Writes surveys.json: the demo's two surveys (refugees' needs, action 1.2.2; the civic
budget's satisfaction and trust, with typed-in paper questionnaires), in four languages."""
import json, random
def L(ro, ru, uk, en): return {"ro": ro, "ru": ru, "uk": uk, "en": en}
def Q(kind, prompt, options=(), section=None, help=None, other=False, required=False, show_if=None):
    return {"section": section or L("","","",""), "prompt": prompt, "help": help or L("","","",""),
            "kind": kind, "options": list(options), "other": other, "required": required, "show_if": show_if}
needs = {
 "title": L("Nevoile persoanelor refugiate și migrante din Bălți", "Потребности беженцев и мигрантов в Бельцах", "Потреби біженців і мігрантів у Бельцях", "The needs of refugees and migrants in Bălți"),
 "intro": L("Chestionar al primăriei (planul de bugetare incluzivă 2026–2027, acțiunea 1.2.2). Durează cinci minute; răspunsurile sunt anonime. Puteți salva și continua mai târziu.",
            "Анкета мэрии (план инклюзивного бюджетирования 2026–2027, действие 1.2.2). Займёт пять минут; ответы анонимны. Можно сохранить и продолжить позже.",
            "Анкета мерії (план інклюзивного бюджетування 2026–2027, дія 1.2.2). Займе п'ять хвилин; відповіді анонімні. Можна зберегти й продовжити пізніше.",
            "A city hall questionnaire (inclusive budgeting plan 2026–2027, action 1.2.2). It takes five minutes; answers are anonymous. You can save and continue later."),
 "respondents": "anyone", "anonymous": True, "results_public": False, "opens_days_ago": 10, "open_days": 60,
 "questions": [
  Q("single", L("Care este statutul dumneavoastră?", "Каков ваш статус?", "Який ваш статус?", "What is your status?"),
    [L("Locuitor al orașului","Житель города","Мешканець міста","Resident of the city"),
     L("Refugiat(ă) din Ucraina","Беженец(-ка) из Украины","Біженець(-ка) з України","Refugee from Ukraine"),
     L("Migrant(ă)","Мигрант(-ка)","Мігрант(-ка)","Migrant")],
    section=L("Despre dumneavoastră","О вас","Про вас","About you"), required=True),
  Q("date", L("De când locuiți în Bălți?","С какого времени вы живёте в Бельцах?","Відколи ви живете в Бельцях?","Since when have you lived in Bălți?"), show_if=[0,1]),
  Q("number", L("Câte persoane sunt în familia dumneavoastră aici?","Сколько человек в вашей семье здесь?","Скільки осіб у вашій родині тут?","How many people are in your family here?")),
  Q("multiple", L("De ce aveți cea mai mare nevoie?","Что вам нужнее всего?","Чого вам найбільше потрібно?","What do you need most?"),
    [L("Cursuri de limba română","Курсы румынского языка","Курси румунської мови","Romanian language courses"),
     L("Loc de muncă","Работа","Робота","Work"),
     L("Locuință","Жильё","Житло","Housing"),
     L("Servicii medicale","Медицинские услуги","Медичні послуги","Health care"),
     L("Grădiniță sau școală pentru copii","Детский сад или школа","Садочок або школа для дітей","Kindergarten or school for children")],
    section=L("Nevoile dumneavoastră","Ваши потребности","Ваші потреби","Your needs"),
    help=L("Bifați tot ce se potrivește.","Отметьте всё, что подходит.","Позначте все, що підходить.","Tick all that apply."), other=True, required=True),
  Q("scale", L("Cât de ușor găsiți informații despre serviciile orașului?","Насколько легко найти информацию об услугах города?","Наскільки легко знайти інформацію про послуги міста?","How easy is it to find information about the city's services?")),
  Q("long_text", L("Ce ar trebui să facă primăria mai întâi?","Что мэрия должна сделать в первую очередь?","Що мерія має зробити насамперед?","What should the city hall do first?"),
    section=L("Ideile dumneavoastră","Ваши идеи","Ваші ідеї","Your ideas")),
  Q("short_text", L("În ce cartier locuiți?","В каком районе вы живёте?","У якому районі ви живете?","Which neighbourhood do you live in?")),
 ],
 "sheets": [],
}
sat = {
 "title": L("Satisfacția participanților la bugetul civic 2027","Удовлетворённость участников гражданского бюджета 2027","Задоволеність учасників громадського бюджету 2027","Participants' satisfaction with the 2027 civic budget"),
 "intro": L("Spuneți-ne cum a fost procesul, ca să-l îmbunătățim (indicatorii planului: satisfacție de cel puțin 4 din 5 și încredere de cel puțin 70%).",
            "Расскажите, как прошёл процесс, чтобы мы его улучшили (показатели плана: удовлетворённость не ниже 4 из 5 и доверие не ниже 70%).",
            "Розкажіть, як пройшов процес, щоб ми його покращили (показники плану: задоволеність щонайменше 4 з 5 і довіра щонайменше 70%).",
            "Tell us how the process went so that we can improve it (the plan's indicators: satisfaction of at least 4 out of 5 and trust of at least 70%)."),
 "respondents": "anyone", "anonymous": True, "results_public": True, "opens_days_ago": 40, "open_days": 70,
 "questions": [
  Q("scale", L("Cât de mulțumit(ă) sunteți de bugetul civic?","Насколько вы довольны гражданским бюджетом?","Наскільки ви задоволені громадським бюджетом?","How satisfied are you with the civic budget?"), required=True),
  Q("single", L("Aveți încredere că proiectele votate vor fi realizate?","Доверяете ли вы, что проекты-победители будут реализованы?","Чи довіряєте ви, що проєкти-переможці буде реалізовано?","Do you trust that the winning projects will be carried out?"),
    [L("Da","Да","Так","Yes"), L("Nu","Нет","Ні","No"), L("Nu știu","Не знаю","Не знаю","I do not know")], required=True),
  Q("single", L("În ce limbă ați participat?","На каком языке вы участвовали?","Якою мовою ви брали участь?","In which language did you take part?"),
    [L("Română","Румынский","Румунська","Romanian"), L("Rusă","Русский","Російська","Russian"), L("Ucraineană","Украинский","Українська","Ukrainian")]),
  Q("long_text", L("Ce ar trebui schimbat data viitoare?","Что стоит изменить в следующий раз?","Що варто змінити наступного разу?","What should change next time?")),
 ],
 "sheets": [],
}
rnd = random.Random(2027)
langs = ["ro"]*11 + ["ru"]*9 + ["uk"]*6
comments = ["Mai multe întâlniri seara.", "Больше информации в Viber.", "Більше інформації українською.", "", "", "Votul pe hârtie la bibliotecă a fost util.", ""]
for lang in langs:
    scale = rnd.choices(["5","4","3","2"], weights=[5,8,3,1])[0]
    trust = rnd.choices(["0","1","2"], weights=[16,3,4])[0]
    language = {"ro":"0","ru":"1","uk":"2"}[lang]
    ans = {"0":[scale], "1":[trust], "2":[language]}
    c = rnd.choice(comments)
    if c: ans["3"] = [c]
    sat["sheets"].append({"lang": lang, "answers": ans})
json.dump({"surveys": [needs, sat]}, open(__import__("os").path.join(__import__("os").path.dirname(__file__), "surveys.json"), "w"), ensure_ascii=False, indent=1)
