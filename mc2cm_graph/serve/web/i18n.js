// The query page's words in Arabic, English and French, and the language it opens in:
// `?lang=` if it names one of them, else the first of the browser's languages
// (what it sends as Accept-Language) that is one, else English: as the site and the
// resource pages choose. English and French are the project's; Arabic is right to left.
"use strict";

(() => {
  const LANGUAGES = ["ar", "en", "fr"];
  const NAMES = { ar: "العربية", en: "English", fr: "Français" };

  const WORDS = {
    en: {
      title: "MC2CM knowledge graph · query",
      heading: "Query the knowledge graph",
      themes: "Themes", ontology: "Ontology", api: "API (OpenAPI)", language: "Language",
      intro: "The 15 Targeted City Actions of the Mediterranean City-to-City Migration "
        + "project (MC2CM) as a knowledge graph. Pick a saved query or write SPARQL; "
        + "results appear below. Endpoint for your own tools:",
      savedTitle: "Saved queries", query: "Query", loading: "loading…",
      noSaved: "(no saved queries)", any: "(any)", required: "required",
      runSaved: "Run saved query", editSaved: "Open in the editor",
      descriptionsEnglish: "Descriptions of saved queries are in English.",
      sparqlTitle: "SPARQL", runQuery: "Run query",
      editorHelp: "Ctrl+Enter runs · Ctrl+Space completes prefixes · errors are marked "
        + "beside the line", editorLabel: "SPARQL query editor",
      resultsTitle: "Results", running: "running…",
      rows: (n, ms) => `${n} ${n === 1 ? "row" : "rows"} (${ms} ms)`,
      answer: (value, ms) => `Answer: ${value ? "yes" : "no"} (${ms} ms)`,
      failed: "The query failed:",
      download: "Download:", share: "Copy share link", copied: "Link copied",
      shareLabel: "Link to this query, its parameters and view",
      table: "Table", map: "Map", bar: "Bar chart", response: "Response",
      mapOf: (n) => `map of ${n} result points`, barsOf: (y, x) => `${y} by ${x}`,
      cannotDraw: (what, why) => `cannot draw the ${what}: ${why}`,
      kinds: { iri: "an IRI or its short name", integer: "a whole number",
               string: "a text value" },
      example: (v) => `e.g. ${v}`,
      params: { lang: "Language of labels", target: "SDG target", goal: "SDG goal",
                place: "Place", programme: "Programme", theme: "Theme",
                type: "Activity type" },
      yasr: {
        "Simple view": "Simple view", "Ellipse": "Shorten long values",
        "Filter query results": "Filter results", "Page size: ": "Rows per page: ",
        "All": "All", "Download Results": "Download (CSV)",
      },
      dataTables: { info: "_START_ to _END_ of _TOTAL_", infoEmpty: "no rows",
                    emptyTable: "no rows", zeroRecords: "no matching rows",
                    infoFiltered: "(of _MAX_)" },
    },
    fr: {
      title: "Graphe de connaissances MC2CM · requête",
      heading: "Interroger le graphe de connaissances",
      themes: "Thèmes", ontology: "Ontologie", api: "API (OpenAPI)", language: "Langue",
      intro: "Les 15 actions ciblées dans les villes du projet Migration ville à ville en "
        + "Méditerranée (MC2CM) sous forme de graphe de connaissances. Choisissez une "
        + "requête enregistrée ou écrivez du SPARQL ; les résultats s'affichent "
        + "ci-dessous. Point d'accès pour vos propres outils :",
      savedTitle: "Requêtes enregistrées", query: "Requête", loading: "chargement…",
      noSaved: "(aucune requête enregistrée)", any: "(toutes)", required: "obligatoire",
      runSaved: "Exécuter la requête enregistrée", editSaved: "Ouvrir dans l'éditeur",
      descriptionsEnglish: "Les descriptions des requêtes enregistrées sont en anglais.",
      sparqlTitle: "SPARQL", runQuery: "Exécuter la requête",
      editorHelp: "Ctrl+Entrée exécute · Ctrl+Espace complète les préfixes · les erreurs "
        + "sont signalées en marge", editorLabel: "Éditeur de requête SPARQL",
      resultsTitle: "Résultats", running: "exécution…",
      rows: (n, ms) => `${n} ${n <= 1 ? "ligne" : "lignes"} (${ms} ms)`,
      answer: (value, ms) => `Réponse : ${value ? "oui" : "non"} (${ms} ms)`,
      failed: "La requête a échoué :",
      download: "Télécharger :", share: "Copier le lien de partage", copied: "Lien copié",
      shareLabel: "Lien vers cette requête, ses paramètres et sa vue",
      table: "Tableau", map: "Carte", bar: "Diagramme en barres", response: "Réponse",
      mapOf: (n) => `carte de ${n} points de résultat`, barsOf: (y, x) => `${y} par ${x}`,
      cannotDraw: (what, why) => `impossible de dessiner : ${what} (${why})`,
      kinds: { iri: "une IRI ou son nom court", integer: "un nombre entier",
               string: "un texte" },
      example: (v) => `p. ex. ${v}`,
      params: { lang: "Langue des libellés", target: "Cible ODD", goal: "Objectif ODD",
                place: "Lieu", programme: "Programme", theme: "Thème",
                type: "Type d'activité" },
      yasr: {
        "Simple view": "Vue simple", "Ellipse": "Abréger les longues valeurs",
        "Filter query results": "Filtrer les résultats",
        "Page size: ": "Lignes par page : ", "All": "Toutes",
        "Download Results": "Télécharger (CSV)",
      },
      dataTables: { info: "_START_ à _END_ sur _TOTAL_", infoEmpty: "aucune ligne",
                    emptyTable: "aucune ligne", zeroRecords: "aucune ligne ne correspond",
                    infoFiltered: "(sur _MAX_)" },
    },
    ar: {
      title: "مخطط MC2CM المعرفي · استعلام",
      heading: "الاستعلام في المخطط المعرفي",
      themes: "المحاور", ontology: "الأنطولوجيا", api: "واجهة البرمجة (OpenAPI)",
      language: "اللغة",
      intro: "برامج العمل الخمسة عشر في المدن المستهدفة من مشروع الهجرة بين المدن "
        + "المتوسطية (MC2CM) في صورة مخطط معرفي. اختر استعلامًا محفوظًا أو اكتب SPARQL، "
        + "وتظهر النتائج أدناه. نقطة الوصول لأدواتك:",
      savedTitle: "الاستعلامات المحفوظة", query: "الاستعلام", loading: "جارٍ التحميل…",
      noSaved: "(لا توجد استعلامات محفوظة)", any: "(الكل)", required: "مطلوب",
      runSaved: "تشغيل الاستعلام المحفوظ", editSaved: "فتح في المحرر",
      descriptionsEnglish: "أوصاف الاستعلامات المحفوظة باللغة الإنجليزية.",
      sparqlTitle: "SPARQL", runQuery: "تشغيل الاستعلام",
      editorHelp: "Ctrl+Enter للتشغيل · Ctrl+Space لإكمال البادئات · تُعلَّم الأخطاء "
        + "بجانب السطر", editorLabel: "محرر استعلام SPARQL",
      resultsTitle: "النتائج", running: "جارٍ التشغيل…",
      rows: (n, ms) => `عدد الصفوف: ${n} (${ms} ملّي ثانية)`,
      answer: (value, ms) => `الجواب: ${value ? "نعم" : "لا"} (${ms} ملّي ثانية)`,
      failed: "فشل الاستعلام:",
      download: "تنزيل:", share: "نسخ رابط المشاركة", copied: "تم نسخ الرابط",
      shareLabel: "رابط هذا الاستعلام ومعاملاته وطريقة عرضه",
      table: "جدول", map: "خريطة", bar: "مخطط أعمدة", response: "الاستجابة",
      mapOf: (n) => `خريطة لعدد ${n} من نقاط النتائج`, barsOf: (y, x) => `${y} حسب ${x}`,
      cannotDraw: (what, why) => `تعذر رسم ${what}: ${why}`,
      kinds: { iri: "معرّف IRI أو اسمه المختصر", integer: "عدد صحيح", string: "نص" },
      example: (v) => `مثال: ${v}`,
      params: { lang: "لغة التسميات", target: "غاية التنمية المستدامة",
                goal: "هدف التنمية المستدامة", place: "المكان", programme: "البرنامج",
                theme: "المحور", type: "نوع النشاط" },
      yasr: {
        "Simple view": "عرض مبسط", "Ellipse": "اختصار القيم الطويلة",
        "Filter query results": "تصفية النتائج", "Page size: ": "صفوف في الصفحة: ",
        "All": "الكل", "Download Results": "تنزيل (CSV)",
      },
      dataTables: { info: "_START_ إلى _END_ من _TOTAL_", infoEmpty: "لا صفوف",
                    emptyTable: "لا صفوف", zeroRecords: "لا صفوف مطابقة",
                    infoFiltered: "(من _MAX_)" },
    },
  };

  function chooseLanguage() {
    const asked = new URLSearchParams(location.search).get("lang");
    if (asked && LANGUAGES.includes(asked)) return asked;
    for (const tag of navigator.languages || [navigator.language || ""]) {
      const base = String(tag).toLowerCase().split("-")[0];
      if (LANGUAGES.includes(base)) return base;
    }
    return "en";
  }

  const lang = chooseLanguage();
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";

  // Elements marked data-i18n="key" get WORDS[lang][key] as their text;
  // data-i18n-attr="attribute:key" sets an attribute instead.
  function translatePage() {
    const words = WORDS[lang];
    document.title = words.title;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = words[node.dataset.i18n];
    }
    for (const node of document.querySelectorAll("[data-i18n-attr]")) {
      const [attribute, key] = node.dataset.i18nAttr.split(":");
      node.setAttribute(attribute, words[key]);
    }
  }

  window.i18n = { lang, LANGUAGES, NAMES, words: WORDS[lang], translatePage };
})();
