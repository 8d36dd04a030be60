"""The site's own words in Arabic, English and French (the data brings its own labels)."""

LANGUAGE_NAMES = {"ar": "العربية", "en": "English", "fr": "Français"}
DIRECTION = {"ar": "rtl", "en": "ltr", "fr": "ltr"}

TEXT = {
    "en": {
        "site": "MC2CM Targeted City Actions",
        "tagline": "A knowledge graph of the programmes of the Mediterranean City-to-City "
                   "Migration project (MC2CM), from its Arabic brochure.",
        "home": "Home",
        "programmes": "Programmes",
        "programme": "Programme",
        "places": "Places",
        "place": "Place",
        "city": "City",
        "country": "Country",
        "themes": "Recommendation themes",
        "theme": "Recommendation theme",
        "targets": "SDG targets",
        "target": "SDG target",
        "goal": "Goal",
        "ontology": "Ontology",
        "data": "Data",
        "objective": "Objective",
        "activities": "Activities",
        "outcomes": "Results",
        "funded_by": "Funded by",
        "located_in": "Where",
        "place_not_named": "The brochure names no place for this programme.",
        "position": "Programme {n} of the brochure",
        "cities": "Cities",
        "coordinates": "Coordinates",
        "in_country": "Country",
        "none_yet": "No programme in this release.",
        "named_in": "Named by the activities or results of",
        "also_written": "Also written",
        "brochure_wording": "Wording in the brochure",
        "un_page": "UN SDG vocabulary",
        "iri": "Identifier",
        "classes": "Classes",
        "properties": "Properties",
        "subclass_of": "Subclass of",
        "subproperty_of": "Subproperty of",
        "domain": "Domain",
        "range": "Range",
        "matrix_title": "Programmes per SDG target and recommendation theme",
        "matrix_caption": "Each cell counts the programmes that address the theme (row) and "
                          "serve the SDG target (column).",
        "map_title": "Where the programmes take place",
        "map_caption": "Cities placed at the coordinates in the data (approximate city "
                       "centres). Blue dots host programmes (bigger: more programmes), grey "
                       "dots none in this release; a square marks a programme set in a whole "
                       "country, at the country's centre. No coastline is drawn: the map is made "
                       "offline from the data alone.",
        "overview": "The whole region",
        "country_wide": "country-wide",
        "downloads": "Download the data",
        "downloads_text": "The same graph in three formats, with a DCAT-AP description:",
        "translation_note": "The Arabic text is the brochure's; the English and French texts "
                            "are translations by the mc2cm-graph project.",
        "footer": "Brochure text by MC2CM (ICMPD, UCLG, UN-Habitat; funded by the European "
                  "Union), reuse terms not stated. Modelling, translations and site by the "
                  "mc2cm-graph project, CC BY 4.0.",
        "count_programmes": "programmes",
        "types": "Type",
        "referenced_by": "Referred to by",
    },
    "fr": {
        "site": "Actions ciblées dans les villes du MC2CM",
        "tagline": "Un graphe de connaissances des programmes du projet Migration ville à "
                   "ville en Méditerranée (MC2CM), tiré de sa brochure en arabe.",
        "home": "Accueil",
        "programmes": "Programmes",
        "programme": "Programme",
        "places": "Lieux",
        "place": "Lieu",
        "city": "Ville",
        "country": "Pays",
        "themes": "Thèmes de recommandation",
        "theme": "Thème de recommandation",
        "targets": "Cibles ODD",
        "target": "Cible ODD",
        "goal": "Objectif",
        "ontology": "Ontologie",
        "data": "Données",
        "objective": "Objectif",
        "activities": "Activités",
        "outcomes": "Résultats",
        "funded_by": "Financé par",
        "located_in": "Où",
        "place_not_named": "La brochure ne nomme aucun lieu pour ce programme.",
        "position": "Programme {n} de la brochure",
        "cities": "Villes",
        "coordinates": "Coordonnées",
        "in_country": "Pays",
        "none_yet": "Aucun programme dans cette version.",
        "named_in": "Nommé par les activités ou résultats de",
        "also_written": "Autres formulations",
        "brochure_wording": "Formulation de la brochure",
        "un_page": "Vocabulaire ODD de l'ONU",
        "iri": "Identifiant",
        "classes": "Classes",
        "properties": "Propriétés",
        "subclass_of": "Sous-classe de",
        "subproperty_of": "Sous-propriété de",
        "domain": "Domaine",
        "range": "Portée",
        "matrix_title": "Programmes par cible ODD et thème de recommandation",
        "matrix_caption": "Chaque case compte les programmes qui traitent le thème (ligne) et "
                          "servent la cible ODD (colonne).",
        "map_title": "Où se déroulent les programmes",
        "map_caption": "Villes placées aux coordonnées des données (centres-villes "
                       "approximatifs). Points bleus : villes avec des programmes (plus gros : "
                       "plus de programmes) ; points gris : aucun dans cette version ; un carré "
                       "marque un programme mené dans tout un pays, au centre du pays. Pas de "
                       "trait de côte : la carte est faite hors ligne à partir des seules "
                       "données.",
        "overview": "Toute la région",
        "country_wide": "tout le pays",
        "downloads": "Télécharger les données",
        "downloads_text": "Le même graphe en trois formats, avec une description DCAT-AP :",
        "translation_note": "Le texte arabe est celui de la brochure ; les textes anglais et "
                            "français sont des traductions du projet mc2cm-graph.",
        "footer": "Texte de la brochure : MC2CM (ICMPD, CGLU, ONU-Habitat ; financé par "
                  "l'Union européenne), conditions de réutilisation non indiquées. "
                  "Modélisation, traductions et site : projet mc2cm-graph, CC BY 4.0.",
        "count_programmes": "programmes",
        "types": "Type",
        "referenced_by": "Cité par",
    },
    "ar": {
        "site": "برامج العمل في المدن المستهدفة",
        "tagline": "مخطط معرفي لبرامج مشروع الهجرة بين المدن المتوسطية، مأخوذ من كتيّبه "
                   "العربي.",
        "home": "الرئيسية",
        "programmes": "البرامج",
        "programme": "برنامج العمل",
        "places": "الأماكن",
        "place": "المكان",
        "city": "مدينة",
        "country": "بلد",
        "themes": "محاور التوصيات",
        "theme": "محور التوصيات",
        "targets": "غايات التنمية المستدامة",
        "target": "غاية من غايات التنمية المستدامة",
        "goal": "الهدف",
        "ontology": "الأنطولوجيا",
        "data": "البيانات",
        "objective": "الهدف",
        "activities": "الأنشطة",
        "outcomes": "النتائج",
        "funded_by": "مموّل من",
        "located_in": "المكان",
        "place_not_named": "لا يذكر الكتيّب مكانًا لهذا البرنامج.",
        "position": "البرنامج رقم {n} في الكتيّب",
        "cities": "المدن",
        "coordinates": "الإحداثيات",
        "in_country": "البلد",
        "none_yet": "لا يوجد برنامج في هذا الإصدار.",
        "named_in": "مذكور في أنشطة أو نتائج",
        "also_written": "صيغ أخرى",
        "brochure_wording": "الصيغة في الكتيّب",
        "un_page": "مفردات أهداف التنمية المستدامة للأمم المتحدة",
        "iri": "المعرّف",
        "classes": "الأصناف",
        "properties": "الخصائص",
        "subclass_of": "صنف فرعي من",
        "subproperty_of": "خاصية فرعية من",
        "domain": "المجال",
        "range": "المدى",
        "matrix_title": "عدد البرامج حسب غاية التنمية المستدامة ومحور التوصيات",
        "matrix_caption": "كل خانة تعدّ البرامج التي تخاطب المحور (السطر) وتساهم في الغاية "
                          "(العمود).",
        "map_title": "أين تُنفَّذ البرامج",
        "map_caption": "المدن في مواقعها حسب الإحداثيات الواردة في البيانات (مراكز المدن "
                       "تقريبًا). النقاط الزرقاء مدن فيها برامج (كلما كبرت زاد عدد البرامج) "
                       "والنقاط الرمادية مدن لا برامج فيها في هذا الإصدار، والمربع "
                       "يدل على برنامج يشمل البلد كله ويقع في وسطه. لا يظهر خط "
                       "الساحل لأن الخريطة مرسومة من البيانات وحدها دون اتصال بالإنترنت.",
        "overview": "المنطقة كلها",
        "country_wide": "البلد كله",
        "downloads": "تنزيل البيانات",
        "downloads_text": "المخطط نفسه بثلاث صيغ، مع وصف وفق DCAT-AP:",
        "translation_note": "النص العربي هو نص الكتيّب، والنصوص الإنجليزية والفرنسية ترجمات "
                            "من مشروع mc2cm-graph.",
        "footer": "نص الكتيّب من مشروع الهجرة بين المدن المتوسطية (بتمويل من الاتحاد "
                  "الأوروبي)، ولا يذكر شروط إعادة الاستخدام. النمذجة والترجمات والموقع من "
                  "مشروع mc2cm-graph بموجب ترخيص CC BY 4.0.",
        "count_programmes": "برامج",
        "types": "النوع",
        "referenced_by": "يُشار إليه في",
    },
}
