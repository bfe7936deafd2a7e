<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en_US">
<context>
    <name>AssistPanel</name>
    <message>
        <source>your translation</source>
        <translation>votre traduction</translation>
    </message>
    <message>
        <source>from the bundle</source>
        <translation>fournie par le lot</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>importée</translation>
    </message>
    <message>
        <source>Memory matches</source>
        <translation>Correspondances</translation>
    </message>
    <message>
        <source>Show matches at least this similar</source>
        <translation>Afficher les correspondances au moins aussi proches</translation>
    </message>
    <message>
        <source>Minimum match</source>
        <translation>Correspondance minimale</translation>
    </message>
    <message>
        <source>Glossary</source>
        <translation>Glossaire</translation>
    </message>
    <message>
        <source>Glossary terms of the segment</source>
        <translation>Termes du glossaire dans le segment</translation>
    </message>
    <message>
        <source>Concordance</source>
        <translation>Concordance</translation>
    </message>
    <message>
        <source>Search the memory (Ctrl+F)</source>
        <translation>Chercher dans la mémoire (Ctrl+F)</translation>
    </message>
    <message>
        <source>Concordance search</source>
        <translation>Recherche de concordance</translation>
    </message>
    <message>
        <source>Concordance results</source>
        <translation>Résultats de la concordance</translation>
    </message>
    <message>
        <source>Import memory…</source>
        <translation>Importer une mémoire…</translation>
    </message>
    <message>
        <source>Add translations from a TMX, XLIFF or PO file</source>
        <translation>Ajouter les traductions d’un fichier TMX, XLIFF ou PO</translation>
    </message>
    <message>
        <source>Import glossary…</source>
        <translation>Importer un glossaire…</translation>
    </message>
    <message>
        <source>Add terms from a TBX or CSV file</source>
        <translation>Ajouter les termes d’un fichier TBX ou CSV</translation>
    </message>
    <message>
        <source>No glossary term in this segment.</source>
        <translation>Aucun terme du glossaire dans ce segment.</translation>
    </message>
    <message>
        <source>Nothing in the memory contains “%1”.</source>
        <translation>Rien dans la mémoire ne contient «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>not</source>
        <comment>before the terms to avoid</comment>
        <translation>à éviter&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Assists</name>
    <message>
        <source>The proposal came after another edit and was dropped.</source>
        <translation>La proposition est arrivée après une autre modification&#xa0;: elle a été abandonnée.</translation>
    </message>
    <message>
        <source>Drag a larger box around the object.</source>
        <translation>Tracez un cadre plus grand autour de l’objet.</translation>
    </message>
    <message>
        <source>Finding the object…</source>
        <translation>Recherche de l’objet…</translation>
    </message>
    <message>
        <source>Nothing found in the box: try a tighter box.</source>
        <translation>Rien trouvé dans le cadre&#xa0;: essayez un cadre plus serré.</translation>
    </message>
    <message>
        <source>Selecting similar colours…</source>
        <translation>Sélection des couleurs proches…</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>Bar chart</source>
        <translation>Diagramme en barres</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Second</source>
        <translation>Deuxième</translation>
    </message>
</context>
<context>
    <name>BreakBanner</name>
    <message>
        <source>Remind me later</source>
        <translation>Me le rappeler plus tard</translation>
    </message>
    <message>
        <source>I took a break</source>
        <translation>J’ai fait une pause</translation>
    </message>
    <message>
        <source>You have worked %1 minutes without a break. A few minutes away from the screen keeps your accuracy up; your work is saved.</source>
        <translation>Vous travaillez depuis %1 minutes sans pause. Quelques minutes loin de l’écran vous aident à rester précis&#x202f;; votre travail est enregistré.</translation>
    </message>
</context>
<context>
    <name>CatalogueView</name>
    <message>
        <source>%1 KB</source>
        <translation>%1&#xa0;Ko</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1&#xa0;Mo</translation>
    </message>
    <message>
        <source>%1/h</source>
        <translation>%1/h</translation>
    </message>
    <message>
        <source>Needs a qualification</source>
        <translation>Qualification requise</translation>
    </message>
    <message>
        <source>Pass the “%1” test (Qualifications tab) to unlock this bundle.</source>
        <translation>Réussissez le test «&#xa0;%1&#xa0;» (onglet Qualifications) pour débloquer ce lot.</translation>
    </message>
    <message>
        <source>The platform rotates contributors.</source>
        <translation>La plateforme fait tourner les contributeurs.</translation>
    </message>
    <message>
        <source>Not before %1</source>
        <translation>Pas avant %1</translation>
    </message>
    <message>
        <source>Qualified</source>
        <translation>Qualifié</translation>
    </message>
    <message>
        <source>You hold the qualification this bundle needs.</source>
        <translation>Vous avez la qualification requise pour ce lot.</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Reward per task</source>
        <translation>Rémunération par tâche</translation>
    </message>
    <message>
        <source>Minutes per task</source>
        <translation>Minutes par tâche</translation>
    </message>
    <message>
        <source>Expected rate</source>
        <translation>Taux horaire prévu</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Téléchargement</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Échéance</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Offered bundles</source>
        <translation>Lots proposés</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <source>Sync now (F5)</source>
        <translation>Synchroniser maintenant (F5)</translation>
    </message>
    <message>
        <source>Claim and download</source>
        <translation>Réserver et télécharger</translation>
    </message>
    <message>
        <source>Sign in to a task server to see the bundles it offers.</source>
        <translation>Connectez-vous à un serveur de tâches pour voir les lots qu’il propose.</translation>
    </message>
    <message>
        <source>Nothing on offer right now. Refresh when you are online.</source>
        <translation>Aucun lot proposé pour le moment. Actualisez quand vous êtes en ligne.</translation>
    </message>
    <message numerus="yes">
        <source>%n bundle(s) on offer. Claim one to download it, then work offline.</source>
        <translation>
            <numerusform>%n lot proposé. Réservez-le pour le télécharger, puis travaillez hors ligne.</numerusform>
            <numerusform>%n lots proposés. Réservez-en un pour le télécharger, puis travaillez hors ligne.</numerusform>
        </translation>
    </message>
    <message>
        <source>Claiming…</source>
        <translation>Réservation…</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>encore %1&#xa0;s</translation>
    </message>
    <message>
        <source>%1 of %2 · %3/s · %4</source>
        <translation>%1 sur %2 · %3/s · %4</translation>
    </message>
</context>
<context>
    <name>ClipToolbar</name>
    <message>
        <source>Polygon</source>
        <translation>Polygone</translation>
    </message>
    <message>
        <source>Edit and select</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pinceau</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>Gomme</translation>
    </message>
    <message>
        <source>Box → GrabCut</source>
        <translation>Cadre → GrabCut</translation>
    </message>
    <message>
        <source>Magic wand</source>
        <translation>Baguette magique</translation>
    </message>
    <message>
        <source>Scissors</source>
        <translation>Ciseaux</translation>
    </message>
    <message>
        <source>Subtract</source>
        <translation>Soustraire</translation>
    </message>
    <message>
        <source>Cut from the regions (or hold Alt)</source>
        <translation>Retirer des régions (ou maintenir Alt)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>Annuler (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rétablir</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z, Ctrl+Y)</source>
        <translation>Rétablir (Ctrl+Maj+Z, Ctrl+Y)</translation>
    </message>
    <message>
        <source>Delete region</source>
        <translation>Supprimer la région</translation>
    </message>
    <message>
        <source>Delete the selected region (Delete); select one with the Edit tool</source>
        <translation>Supprimer la région sélectionnée (Suppr)&#x202f;; sélectionnez-en une avec l’outil Modifier</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <source>Show the whole photo (0); zoom with Ctrl+wheel, + and -</source>
        <translation>Afficher toute la photo (0)&#x202f;; zoomer avec Ctrl+molette, + et -</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Contour</translation>
    </message>
    <message>
        <source>Outline only (O)</source>
        <translation>Contour seul (O)</translation>
    </message>
    <message>
        <source>Cut-out</source>
        <translation>Détourage</translation>
    </message>
    <message>
        <source>Preview the cut-out (C)</source>
        <translation>Aperçu du détourage (C)</translation>
    </message>
    <message>
        <source>Overlay opacity</source>
        <translation>Opacité du calque</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Brush radius ([ and ], or the wheel over the photo)</source>
        <translation>Rayon du pinceau ([ et ], ou la molette sur la photo)</translation>
    </message>
    <message>
        <source>Brush radius</source>
        <translation>Rayon du pinceau</translation>
    </message>
    <message>
        <source>Magic wand tolerance</source>
        <translation>Tolérance de la baguette magique</translation>
    </message>
</context>
<context>
    <name>EarningsView</name>
    <message>
        <source>Export earnings as CSV</source>
        <translation>Exporter les gains en CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Fichiers CSV (*.csv)</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcul en cours…</translation>
    </message>
    <message>
        <source>Reading the ledger kept on this computer…</source>
        <translation>Lecture du relevé conservé sur cet ordinateur…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exporter en CSV…</translation>
    </message>
    <message>
        <source>Every ledger entry, for a tax declaration</source>
        <translation>Toutes les lignes du relevé, pour une déclaration fiscale</translation>
    </message>
    <message>
        <source>By kind, and per hour of work</source>
        <translation>Par type, et par heure de travail</translation>
    </message>
    <message>
        <source>My reference wage:</source>
        <translation>Mon salaire de référence&#xa0;:</translation>
    </message>
    <message>
        <source>Reference hourly wage</source>
        <translation>Salaire horaire de référence</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>non défini</translation>
    </message>
    <message>
        <source> /h</source>
        <translation> /h</translation>
    </message>
    <message>
        <source>The hourly wage you compare your pay with, e.g. the legal minimum where you live</source>
        <translation>Le salaire horaire auquel comparer votre rémunération, par exemple le minimum légal là où vous vivez</translation>
    </message>
    <message>
        <source>e.g. the legal minimum where you live</source>
        <translation>par exemple le minimum légal là où vous vivez</translation>
    </message>
    <message>
        <source>Earnings and wages per kind</source>
        <translation>Gains et salaires horaires par type</translation>
    </message>
    <message>
        <source>Latest entries</source>
        <translation>Dernières lignes</translation>
    </message>
    <message>
        <source>Latest ledger entries</source>
        <translation>Dernières lignes du relevé</translation>
    </message>
    <message>
        <source>Opening your profile…</source>
        <translation>Ouverture de votre profil…</translation>
    </message>
    <message>
        <source>Your earnings cannot be shown</source>
        <translation>Impossible d’afficher vos gains</translation>
    </message>
    <message>
        <source>No earnings yet</source>
        <translation>Aucun gain pour l’instant</translation>
    </message>
    <message>
        <source>What the server pays for your results appears here after a sync, and stays readable offline.</source>
        <translation>Ce que le serveur vous paie pour vos résultats s’affiche ici après une synchronisation, et reste consultable hors ligne.</translation>
    </message>
    <message>
        <source>Earned %1 · pending %2 · paid out %3</source>
        <translation>Gagné %1 · en attente %2 · versé %3</translation>
    </message>
    <message numerus="yes">
        <source>%1 ledger entries from the last sync, kept on this computer. %Ln task(s) rejected (%2), which earn nothing.</source>
        <translation>
            <numerusform>Lignes du relevé à la dernière synchronisation, conservées sur cet ordinateur&#xa0;: %1. %Ln tâche refusée (%2), qui ne rapporte rien.</numerusform>
            <numerusform>Lignes du relevé à la dernière synchronisation, conservées sur cet ordinateur&#xa0;: %1. %Ln tâches refusées (%2), qui ne rapportent rien.</numerusform>
        </translation>
    </message>
    <message>
        <source> %1/h</source>
        <translation> %1/h</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <source>The reference wage was not saved: %1</source>
        <translation>Le salaire de référence n’a pas été enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>Écriture de %1…</translation>
    </message>
    <message>
        <source>Exported %1 entries to %2</source>
        <translation>Lignes exportées dans %2&#xa0;: %1</translation>
    </message>
    <message>
        <source>Could not write %1: %2. Choose another folder or free some space, then export again.</source>
        <translation>Impossible d’écrire %1&#xa0;: %2. Choisissez un autre dossier ou libérez de la place, puis exportez à nouveau.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Échec de l’export</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <source>Counted as the platform counts it: this calendar year&apos;s rewards and bonuses, pending ones included, rejected ones not.</source>
        <translation>Compté comme la plateforme le compte&#xa0;: les rémunérations et primes de l’année civile, en attente comprises, refusées exclues.</translation>
    </message>
    <message>
        <source>Share of the yearly cap used</source>
        <translation>Part du plafond annuel utilisée</translation>
    </message>
    <message>
        <source>Year to date %1: %2. Yearly cap unknown — sync once to learn it.</source>
        <translation>Depuis le début de %1&#xa0;: %2. Plafond annuel inconnu — synchronisez une fois pour le connaître.</translation>
    </message>
    <message>
        <source>Year to date %1: %2. The server&apos;s yearly cap is in %3, so it cannot be compared with these earnings.</source>
        <translation>Depuis le début de %1&#xa0;: %2. Le plafond annuel du serveur est en %3&#xa0;: il ne peut pas être comparé à ces gains.</translation>
    </message>
    <message>
        <source>Year to date %1, pending work included: %2 of the %3 yearly cap (%4)</source>
        <translation>Depuis le début de %1, travail en attente compris&#xa0;: %2 sur un plafond annuel de %3 (%4)</translation>
    </message>
    <message>
        <source>⚠ You have reached this year&apos;s cap: the platform cannot pay you for more work before 1 January %1.</source>
        <translation>⚠ Vous avez atteint le plafond de l’année&#xa0;: la plateforme ne peut plus vous payer de travail avant le 1er janvier %1.</translation>
    </message>
    <message>
        <source>⚠ %1 of the yearly cap used, %2 left: past the cap the platform cannot pay you more this year.</source>
        <translation>⚠ %1 du plafond annuel utilisé, reste %2&#xa0;: au-delà du plafond, la plateforme ne peut plus vous payer cette année.</translation>
    </message>
    <message>
        <source>%1 left this year</source>
        <translation>reste %1 cette année</translation>
    </message>
    <message>
        <source>Week of %1</source>
        <translation>Semaine du %1</translation>
    </message>
    <message>
        <source>Bonuses and other</source>
        <translation>Primes et autres</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation>Prime</translation>
    </message>
    <message>
        <source>Payout</source>
        <translation>Versement</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Payé</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1&#xa0;h</translation>
    </message>
    <message>
        <source>%1/h</source>
        <translation>%1/h</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Période</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>Gagné</translation>
    </message>
    <message>
        <source>Paid out</source>
        <translation>Versé</translation>
    </message>
    <message numerus="yes">
        <source>%Ln task(s) rejected; they earn nothing.</source>
        <translation>
            <numerusform>%Ln tâche refusée&#x202f;; elle ne rapporte rien.</numerusform>
            <numerusform>%Ln tâches refusées&#x202f;; elles ne rapportent rien.</numerusform>
        </translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Hourly, active</source>
        <translation>Horaire actif</translation>
    </message>
    <message>
        <source>Hourly, all time</source>
        <translation>Horaire global</translation>
    </message>
    <message>
        <source>No working time measured for this kind yet: the wage per hour is unknown.</source>
        <translation>Aucun temps de travail mesuré pour ce type&#xa0;: le gain horaire est inconnu.</translation>
    </message>
    <message>
        <source>Per hour of active work: %1 earned over %2 when the task had your focus and you were working.</source>
        <translation>Par heure de travail actif&#xa0;: %1 gagnés en %2 pendant lesquelles la tâche était au premier plan et vous travailliez.</translation>
    </message>
    <message>
        <source>Per hour of all the time it took: %1 earned over %2 — the time tasks were open, rejected work included, plus downloads.</source>
        <translation>Par heure de tout le temps passé&#xa0;: %1 gagnés en %2 — le temps où les tâches étaient ouvertes, travail refusé compris, plus les téléchargements.</translation>
    </message>
    <message>
        <source>Set a reference wage to compare it with.</source>
        <translation>Définissez un salaire de référence pour comparer.</translation>
    </message>
    <message>
        <source>That is %1 % of your reference wage of %2.</source>
        <translation>Soit %1&#xa0;% de votre salaire de référence de %2.</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
</context>
<context>
    <name>KeysDialog</name>
    <message>
        <source>Transcription settings</source>
        <translation>Réglages de la transcription</translation>
    </message>
    <message>
        <source>Rewind when resuming</source>
        <translation>Retour en arrière à la reprise</translation>
    </message>
    <message>
        <source>Skip back and forward by</source>
        <translation>Sauts en arrière et en avant de</translation>
    </message>
    <message>
        <source>Timestamp format (Ctrl+J)</source>
        <translation>Format de l’horodatage (Ctrl+J)</translation>
    </message>
    <message>
        <source>Click a key box, then press the key or the foot-pedal button to use. Backspace in a box clears it.</source>
        <translation>Cliquez dans une case, puis appuyez sur la touche ou le bouton de pédale à utiliser. Retour arrière vide la case.</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Touche</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>Par défaut</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>%1 is used by “%2” and “%3”.</source>
        <translation>%1 est utilisé par «&#xa0;%2&#xa0;» et par «&#xa0;%3&#xa0;».</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Ouvrage — demo</source>
        <translation>Ouvrage — démo</translation>
    </message>
    <message>
        <source>Opening your profile…</source>
        <translation>Ouverture de votre profil…</translation>
    </message>
    <message>
        <source>Catalogue</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <source>Earnings</source>
        <translation>Gains</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>Qualifications</translation>
    </message>
    <message>
        <source>%1 as %2…</source>
        <translation>%1 en %2…</translation>
    </message>
    <message>
        <source>This profile cannot be opened</source>
        <translation>Impossible d’ouvrir ce profil</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tâches</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Boîte d’envoi</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profil&#xa0;: %1</translation>
    </message>
    <message>
        <source>Offline — no server set up</source>
        <translation>Hors ligne — aucun serveur configuré</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Import bundle…</source>
        <translation>&amp;Importer un lot…</translation>
    </message>
    <message>
        <source>&amp;Export results</source>
        <translation>&amp;Exporter les résultats</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Task</source>
        <translation>&amp;Tâche</translation>
    </message>
    <message>
        <source>&amp;Submit</source>
        <translation>&amp;Soumettre</translation>
    </message>
    <message>
        <source>&amp;Previous task</source>
        <translation>Tâche &amp;précédente</translation>
    </message>
    <message>
        <source>&amp;Next task</source>
        <translation>Tâche sui&amp;vante</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Serveur</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Tasks</source>
        <translation>&amp;Tâches</translation>
    </message>
    <message>
        <source>&amp;Outbox</source>
        <translation>&amp;Boîte d’envoi</translation>
    </message>
    <message>
        <source>&amp;Catalogue</source>
        <translation>&amp;Catalogue</translation>
    </message>
    <message>
        <source>&amp;Earnings</source>
        <translation>&amp;Gains</translation>
    </message>
    <message>
        <source>&amp;Qualifications</source>
        <translation>&amp;Qualifications</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;About Ouvrage</source>
        <translation>À &amp;propos d’Ouvrage</translation>
    </message>
    <message>
        <source>Reopening the task you left open…</source>
        <translation>Réouverture de la tâche laissée ouverte…</translation>
    </message>
    <message>
        <source>Task %1 of %2</source>
        <translation>Tâche %1 sur %2</translation>
    </message>
    <message>
        <source>Lease: %1 left</source>
        <translation>Réservation&#xa0;:&#xa0;encore&#xa0;%1</translation>
    </message>
    <message>
        <source>Lease ended</source>
        <translation>Réservation terminée</translation>
    </message>
    <message>
        <source>The new language applies the next time Ouvrage starts.</source>
        <translation>La nouvelle langue s’appliquera au prochain démarrage d’Ouvrage.</translation>
    </message>
    <message>
        <source>Editing…</source>
        <translation>Modification…</translation>
    </message>
    <message>
        <source>Draft saved %1</source>
        <translation>Brouillon enregistré à %1</translation>
    </message>
    <message numerus="yes">
        <source>Fix the %n problem(s) marked ✖ before submitting.</source>
        <translation>
            <numerusform>Corrigez le problème marqué ✖ avant de soumettre.</numerusform>
            <numerusform>Corrigez les %n problèmes marqués ✖ avant de soumettre.</numerusform>
        </translation>
    </message>
    <message>
        <source>Result queued for sending.</source>
        <translation>Résultat mis en file d’envoi.</translation>
    </message>
    <message>
        <source>Outbox (%1)</source>
        <translation>Boîte d’envoi (%1)</translation>
    </message>
    <message>
        <source>%1 waiting to send</source>
        <translation>En attente d’envoi&#xa0;: %1</translation>
    </message>
    <message>
        <source>Today: %1</source>
        <translation>Aujourd’hui&#xa0;: %1</translation>
    </message>
    <message>
        <source>Lease of %1 has ended: its results may be refused</source>
        <translation>La réservation de %1 est terminée&#xa0;: ses résultats risquent d’être refusés</translation>
    </message>
    <message>
        <source>Lease of %1 ends in %2: submit or release it</source>
        <translation>La réservation de %1 se termine dans %2&#xa0;: soumettez ou rendez le lot</translation>
    </message>
    <message>
        <source> (and %1 more)</source>
        <translation> (et %1 de plus)</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>Vérification de %1…</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was already imported; nothing changed.</source>
        <translation>«&#xa0;%1&#xa0;» était déjà importé&#x202f;; rien n’a changé.</translation>
    </message>
    <message numerus="yes">
        <source>Imported &apos;%1&apos;: %n task(s).</source>
        <translation>
            <numerusform>«&#xa0;%1&#xa0;» importé&#xa0;: %n tâche.</numerusform>
            <numerusform>«&#xa0;%1&#xa0;» importé&#xa0;: %n tâches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>%n résultat exporté dans %1</numerusform>
            <numerusform>%n résultats exportés dans %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MemoryAssist</name>
    <message>
        <source>Translation memories (*.tmx *.xlf *.xliff *.po);;All files (*)</source>
        <translation>Mémoires de traduction (*.tmx *.xlf *.xliff *.po);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Glossaries (*.tbx *.csv *.tsv *.txt);;All files (*)</source>
        <translation>Glossaires (*.tbx *.csv *.tsv *.txt);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>The translation memory is loading…</source>
        <translation>Chargement de la mémoire de traduction…</translation>
    </message>
    <message>
        <source>No match of %1 % or more.</source>
        <translation>Aucune correspondance à %1&#xa0;% ou plus.</translation>
    </message>
    <message>
        <source>Import a memory</source>
        <translation>Importer une mémoire</translation>
    </message>
    <message>
        <source>Import a glossary</source>
        <translation>Importer un glossaire</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be opened (%2).</source>
        <translation>Impossible d’ouvrir «&#xa0;%1&#xa0;» (%2).</translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be read: %2</source>
        <translation>Impossible de lire «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no %2 translations.</source>
        <translation>«&#xa0;%1&#xa0;» ne contient aucune traduction %2.</translation>
    </message>
    <message>
        <source>Added %1 translations from &apos;%2&apos;.</source>
        <translation>Traductions ajoutées depuis «&#xa0;%2&#xa0;»&#xa0;: %1.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no %2 terms.</source>
        <translation>«&#xa0;%1&#xa0;» ne contient aucun terme %2.</translation>
    </message>
    <message>
        <source>Added %1 terms from &apos;%2&apos;.</source>
        <translation>Termes ajoutés depuis «&#xa0;%2&#xa0;»&#xa0;: %1.</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>Soumis le</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>Clé d’idempotence</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Outbox</source>
        <translation>Boîte d’envoi</translation>
    </message>
    <message>
        <source>The lease ended before the result came</source>
        <translation>La réservation a pris fin avant l’arrivée du résultat</translation>
    </message>
    <message>
        <source>Nothing submitted yet. Results you submit wait here until they are sent.</source>
        <translation>Rien n’a encore été soumis. Les résultats soumis attendent ici jusqu’à leur envoi.</translation>
    </message>
    <message>
        <source>%1 waiting to be sent</source>
        <translation>En attente d’envoi&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 sent</source>
        <translation>envoyés&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 accepted</source>
        <translation>acceptés&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 refused</source>
        <translation>refusés&#xa0;: %1</translation>
    </message>
    <message>
        <source>. Waiting results are kept safely on this computer until a sync.</source>
        <translation>. Les résultats en attente sont conservés en sécurité sur cet ordinateur jusqu’à une synchronisation.</translation>
    </message>
</context>
<context>
    <name>PeriodPanel</name>
    <message>
        <source>Over time</source>
        <translation>Dans le temps</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Jour</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Semaine</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Mois</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Année</translation>
    </message>
    <message>
        <source>Earnings per period</source>
        <translation>Gains par période</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Calcul en cours…</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>Gagné</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Totals per period</source>
        <translation>Totaux par période</translation>
    </message>
    <message>
        <source>Yearly cap</source>
        <translation>Plafond annuel</translation>
    </message>
</context>
<context>
    <name>PhotoClipEditor</name>
    <message>
        <source>Clip: %1</source>
        <translation>À détourer&#xa0;: %1</translation>
    </message>
    <message>
        <source>Photo to clip</source>
        <translation>Photo à détourer</translation>
    </message>
    <message>
        <source>The photo of this task is not available.</source>
        <translation>La photo de cette tâche n’est pas disponible.</translation>
    </message>
    <message>
        <source>The photo&apos;s path leaves the bundle: the task is damaged.</source>
        <translation>Le chemin de la photo sort du lot&#xa0;: la tâche est endommagée.</translation>
    </message>
    <message>
        <source>Opening the photo…</source>
        <translation>Ouverture de la photo…</translation>
    </message>
    <message>
        <source>The photo cannot be opened: %1</source>
        <translation>Impossible d’ouvrir la photo&#xa0;: %1</translation>
    </message>
    <message>
        <source>Click to add points, Shift-drag to draw freehand; Enter or a click on the first point closes, Backspace removes a point, Esc cancels. Alt subtracts.</source>
        <translation>Cliquez pour ajouter des points, Maj+glisser pour dessiner à main levée&#x202f;; Entrée ou un clic sur le premier point ferme, Retour arrière retire un point, Échap annule. Alt soustrait.</translation>
    </message>
    <message>
        <source>Drag a vertex to move it, click an edge to add one, Delete removes the vertex under the mouse.</source>
        <translation>Faites glisser un sommet pour le déplacer, cliquez sur un côté pour en ajouter un, Suppr retire le sommet sous la souris.</translation>
    </message>
    <message>
        <source>Paint to add; the wheel changes the size.</source>
        <translation>Peignez pour ajouter&#x202f;; la molette change la taille.</translation>
    </message>
    <message>
        <source>Paint to erase; the wheel changes the size.</source>
        <translation>Peignez pour effacer&#x202f;; la molette change la taille.</translation>
    </message>
    <message>
        <source>Drag a box around the object to get a proposal.</source>
        <translation>Tracez un cadre autour de l’objet pour obtenir une proposition.</translation>
    </message>
    <message>
        <source>Click the object to select similar colours; Alt subtracts.</source>
        <translation>Cliquez sur l’objet pour sélectionner les couleurs proches&#x202f;; Alt soustrait.</translation>
    </message>
    <message>
        <source>Click points along the edge; Enter closes and snaps to the edges.</source>
        <translation>Cliquez des points le long du bord&#x202f;; Entrée ferme et épouse les contours.</translation>
    </message>
</context>
<context>
    <name>PlayerBar</name>
    <message>
        <source>Skip back</source>
        <translation>Reculer</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Lire</translation>
    </message>
    <message>
        <source>Skip forward</source>
        <translation>Avancer</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Vitesse de lecture</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Volume</translation>
    </message>
    <message>
        <source>Loop the selection</source>
        <translation>Lire la sélection en boucle</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Boucle</translation>
    </message>
    <message>
        <source>Playback settings and keys</source>
        <translation>Réglages de lecture et touches</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>Réglages…</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>Lecture ou pause</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>%1 in the original recording</source>
        <translation>%1 dans l’enregistrement d’origine</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Without a key or a click for this long, active time stops counting.</source>
        <translation>Sans touche ni clic pendant cette durée, le temps actif cesse d’être compté.</translation>
    </message>
    <message>
        <source>Idle after</source>
        <translation>Inactif après</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Suggest a break after</source>
        <translation>Proposer une pause après</translation>
    </message>
    <message>
        <source>Remind me again after</source>
        <translation>Me le rappeler après</translation>
    </message>
    <message>
        <source> tasks</source>
        <translation> tâches</translation>
    </message>
    <message>
        <source>Suggest another kind after</source>
        <translation>Proposer un autre type après</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Warn before a lease ends</source>
        <translation>Prévenir avant la fin d’une réservation</translation>
    </message>
    <message>
        <source> %1/h</source>
        <translation> %1/h</translation>
    </message>
    <message>
        <source> /h</source>
        <translation> /h</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>non défini</translation>
    </message>
    <message>
        <source>The hourly wage to compare your earnings with, e.g. the legal minimum.</source>
        <translation>Le salaire horaire auquel comparer vos gains, par exemple le minimum légal.</translation>
    </message>
    <message>
        <source>Reference hourly wage</source>
        <translation>Salaire horaire de référence</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>A new language applies the next time Ouvrage starts.</source>
        <translation>Une nouvelle langue s’applique au prochain démarrage d’Ouvrage.</translation>
    </message>
</context>
<context>
    <name>QualificationsView</name>
    <message>
        <source>Not taken</source>
        <translation>Non passé</translation>
    </message>
    <message>
        <source>Being graded</source>
        <translation>En cours de correction</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>Réussi</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échoué</translation>
    </message>
    <message>
        <source>Qualification</source>
        <translation>Qualification</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Last score</source>
        <translation>Dernier score</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Certificat</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>Prochain essai</translation>
    </message>
    <message>
        <source>%1 tasks; passing mark %2.</source>
        <translation>Tâches&#xa0;: %1&#x202f;; note de réussite&#xa0;: %2.</translation>
    </message>
    <message>
        <source>Earned %1</source>
        <translation>Obtenu le %1</translation>
    </message>
    <message>
        <source>Test questions graded</source>
        <translation>Questions de contrôle corrigées</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitude</translation>
    </message>
    <message>
        <source>Standing</source>
        <translation>Situation</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>Ce que cela signifie</translation>
    </message>
    <message>
        <source>Not rated yet</source>
        <translation>Pas encore évalué</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Bonne</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>À risque</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <source>Qualifications</source>
        <translation>Qualifications</translation>
    </message>
    <message>
        <source>Take the test</source>
        <translation>Passer le test</translation>
    </message>
    <message>
        <source>Download the test: a few tasks graded by the platform, unpaid.</source>
        <translation>Télécharger le test&#xa0;: quelques tâches corrigées par la plateforme, non rémunérées.</translation>
    </message>
    <message>
        <source>Accuracy on test questions</source>
        <translation>Exactitude sur les questions de contrôle</translation>
    </message>
    <message>
        <source>A few tasks in ordinary bundles have answers the platform knows. Your accuracy on them can unlock qualifications, or pause a kind for a while.</source>
        <translation>Quelques tâches des lots ordinaires ont des réponses connues de la plateforme. Votre exactitude sur celles-ci peut débloquer des qualifications, ou suspendre un type pendant un temps.</translation>
    </message>
    <message>
        <source>Accuracy by kind</source>
        <translation>Exactitude par type</translation>
    </message>
    <message>
        <source>Sync with a task server to see its qualifications.</source>
        <translation>Synchronisez avec un serveur de tâches pour voir ses qualifications.</translation>
    </message>
    <message>
        <source>This server offers no qualifications.</source>
        <translation>Ce serveur ne propose aucune qualification.</translation>
    </message>
    <message numerus="yes">
        <source>You hold %1 of %n qualification(s). Bundles that need one unlock once it is earned.</source>
        <translation>
            <numerusform>Qualification obtenue&#xa0;: %1 sur %n. Les lots qui l’exigent se débloquent une fois celle-ci obtenue.</numerusform>
            <numerusform>Qualifications obtenues&#xa0;: %1 sur %n. Les lots qui en exigent une se débloquent une fois celle-ci obtenue.</numerusform>
        </translation>
    </message>
    <message>
        <source>Passed: the bundles that need it are open to you.</source>
        <translation>Réussi&#xa0;: les lots qui l’exigent vous sont ouverts.</translation>
    </message>
    <message>
        <source>You can try again from %1.</source>
        <translation>Vous pourrez réessayer à partir du %1.</translation>
    </message>
    <message>
        <source>Your answers are being graded; sync to see the result.</source>
        <translation>Vos réponses sont en cours de correction&#x202f;; synchronisez pour voir le résultat.</translation>
    </message>
    <message>
        <source>%1 tasks, graded by the platform; %2 to pass. Unpaid.</source>
        <translation>Tâches corrigées par la plateforme&#xa0;: %1&#x202f;; réussite à %2. Non rémunéré.</translation>
    </message>
    <message>
        <source>Downloading the test…</source>
        <translation>Téléchargement du test…</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Filter by kind</source>
        <translation>Filtrer par type</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <source>Filter by bundle</source>
        <translation>Filtrer par lot</translation>
    </message>
    <message>
        <source>All bundles</source>
        <translation>Tous les lots</translation>
    </message>
    <message>
        <source>Filter by state</source>
        <translation>Filtrer par état</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tous les états</translation>
    </message>
    <message>
        <source>Task queue</source>
        <translation>File des tâches</translation>
    </message>
    <message>
        <source>Reading %1 tasks…</source>
        <translation>Lecture de %1 tâches…</translation>
    </message>
    <message>
        <source>%1 of %2 tasks shown</source>
        <translation>Tâches affichées&#xa0;: %1 sur %2</translation>
    </message>
</context>
<context>
    <name>SegmentRow</name>
    <message>
        <source>Segment %1</source>
        <translation>Segment %1</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>À relire</translation>
    </message>
    <message>
        <source>Filled in from a 100 % memory match. Edit it, or confirm it with Alt+Enter.</source>
        <translation>Rempli depuis une correspondance à 100&#xa0;% de la mémoire. Modifiez-le, ou confirmez-le avec Alt+Entrée.</translation>
    </message>
    <message>
        <source>Source text of segment %1</source>
        <translation>Texte source du segment %1</translation>
    </message>
    <message>
        <source>Translation of segment %1</source>
        <translation>Traduction du segment %1</translation>
    </message>
    <message>
        <source>Type the translation here</source>
        <translation>Saisissez la traduction ici</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n caractère</numerusform>
            <numerusform>%n caractères</numerusform>
        </translation>
    </message>
    <message>
        <source>Fix spacing</source>
        <translation>Corriger les espaces</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirmer</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ignorer</translation>
    </message>
</context>
<context>
    <name>ServerLink</name>
    <message>
        <source>Sign &amp;in…</source>
        <translation>Se &amp;connecter…</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Se &amp;déconnecter</translation>
    </message>
    <message>
        <source>&amp;Release a bundle…</source>
        <translation>&amp;Rendre un lot…</translation>
    </message>
    <message>
        <source>Give a claimed bundle back to the platform</source>
        <translation>Rendre un lot réservé à la plateforme</translation>
    </message>
    <message>
        <source>Offline — not signed in to a server</source>
        <translation>Hors ligne — non connecté à un serveur</translation>
    </message>
    <message>
        <source>&apos;%1&apos; was already here; nothing new to download.</source>
        <translation>«&#xa0;%1&#xa0;» est déjà là&#x202f;; rien de nouveau à télécharger.</translation>
    </message>
    <message numerus="yes">
        <source>Downloaded &apos;%1&apos;: %n task(s) ready to work on, offline too.</source>
        <translation>
            <numerusform>«&#xa0;%1&#xa0;» téléchargé&#xa0;: %n tâche prête, même hors ligne.</numerusform>
            <numerusform>«&#xa0;%1&#xa0;» téléchargé&#xa0;: %n tâches prêtes, même hors ligne.</numerusform>
        </translation>
    </message>
    <message>
        <source>&apos;%1&apos; could not be downloaded: %2</source>
        <translation>Impossible de télécharger «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>You hold no bundle to release.</source>
        <translation>Vous n’avez aucun lot à rendre.</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n task(s) open</source>
        <translation>
            <numerusform>%1 — %n tâche ouverte</numerusform>
            <numerusform>%1 — %n tâches ouvertes</numerusform>
        </translation>
    </message>
    <message>
        <source>Released &apos;%1&apos;: its open tasks went back to the platform.</source>
        <translation>«&#xa0;%1&#xa0;» rendu&#xa0;: ses tâches ouvertes sont retournées à la plateforme.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; could not be released: %2</source>
        <translation>Impossible de rendre «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>ShapeEdits</name>
    <message>
        <source>Snapping to the edges…</source>
        <translation>Ajustement aux contours…</translation>
    </message>
    <message>
        <source>Region deleted: Ctrl+Z brings it back.</source>
        <translation>Région supprimée&#xa0;: Ctrl+Z la rétablit.</translation>
    </message>
    <message>
        <source>That move would make the outline cross itself: undone.</source>
        <translation>Ce déplacement croiserait le contour sur lui-même&#xa0;: annulé.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to a task server</source>
        <translation>Connexion à un serveur de tâches</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>Contributor id</source>
        <translation>Identifiant de contributeur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>only for a test server with its own certificate</source>
        <translation>seulement pour un serveur de test avec son propre certificat</translation>
    </message>
    <message>
        <source>Certificate authority file</source>
        <translation>Fichier d’autorité de certification</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serveur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Contributor id:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>CA &amp;file:</source>
        <translation>&amp;Fichier d’AC&#xa0;:</translation>
    </message>
    <message>
        <source>Your sign-in is kept in the system keyring.</source>
        <translation>Votre connexion est conservée dans le trousseau du système.</translation>
    </message>
    <message>
        <source>No system keyring was found: your sign-in is kept in your profile folder, readable only by your user account.</source>
        <translation>Aucun trousseau système trouvé&#xa0;: votre connexion est conservée dans le dossier de votre profil, lisible seulement par votre compte utilisateur.</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Fill in the server, your contributor id and your password.</source>
        <translation>Renseignez le serveur, votre identifiant et votre mot de passe.</translation>
    </message>
    <message>
        <source>The certificate file %1 does not exist.</source>
        <translation>Le fichier de certificat %1 n’existe pas.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
</context>
<context>
    <name>SpellingAssist</name>
    <message>
        <source>There is no offline dictionary for %1: spelling is not checked.</source>
        <translation>Aucun dictionnaire hors ligne pour %1&#xa0;: l’orthographe n’est pas vérifiée.</translation>
    </message>
    <message>
        <source>No suggestions</source>
        <translation>Aucune suggestion</translation>
    </message>
    <message>
        <source>Add “%1” to the dictionary</source>
        <translation>Ajouter «&#xa0;%1&#xa0;» au dictionnaire</translation>
    </message>
</context>
<context>
    <name>SyncService</name>
    <message>
        <source>Offline — not signed in to a server</source>
        <translation>Hors ligne — non connecté à un serveur</translation>
    </message>
    <message>
        <source>Sign in to %1 to sync</source>
        <translation>Connectez-vous à %1 pour synchroniser</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <source>Syncing %1 of %2…</source>
        <translation>Synchronisation %1 sur %2…</translation>
    </message>
    <message>
        <source>Synced at %1</source>
        <translation>Synchronisé à %1</translation>
    </message>
    <message numerus="yes">
        <source> — %n result(s) refused, see the outbox</source>
        <translation>
            <numerusform> — %n résultat refusé, voir la boîte d’envoi</numerusform>
            <numerusform> — %n résultats refusés, voir la boîte d’envoi</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1&#xa0;min</translation>
    </message>
    <message>
        <source>%1 — next try in %2</source>
        <translation>%1 — nouvel essai dans %2</translation>
    </message>
</context>
<context>
    <name>TargetHighlighter</name>
    <message>
        <source>The glossary forbids this translation</source>
        <translation>Le glossaire interdit cette traduction</translation>
    </message>
</context>
<context>
    <name>TaskKind</name>
    <message>
        <source>Audio transcription</source>
        <translation>Transcription audio</translation>
    </message>
    <message>
        <source>Photo clipping</source>
        <translation>Détourage de photos</translation>
    </message>
    <message>
        <source>COCO (polygons)</source>
        <translation>COCO (polygones)</translation>
    </message>
    <message>
        <source>PNG masks (zip)</source>
        <translation>Masques PNG (zip)</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>Texte brut</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Traduction</translation>
    </message>
    <message>
        <source>TMX 1.4 memory</source>
        <translation>Mémoire TMX 1.4</translation>
    </message>
</context>
<context>
    <name>TaskPane</name>
    <message>
        <source>Import a bundle…</source>
        <translation>Importer un lot…</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>Consignes</translation>
    </message>
    <message>
        <source>Show or hide the bundle&apos;s instructions</source>
        <translation>Afficher ou masquer les consignes du lot</translation>
    </message>
    <message>
        <source>Shows or hides the bundle&apos;s instructions above the editor</source>
        <translation>Affiche ou masque les consignes du lot au-dessus de l’éditeur</translation>
    </message>
    <message>
        <source>Problems to fix before submitting</source>
        <translation>Problèmes à corriger avant de soumettre</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Précédente</translation>
    </message>
    <message>
        <source>Previous task (Alt+Left)</source>
        <translation>Tâche précédente (Alt+Gauche)</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Suivante ▶</translation>
    </message>
    <message>
        <source>Next task (Alt+Right)</source>
        <translation>Tâche suivante (Alt+Droite)</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>Soumettre</translation>
    </message>
    <message>
        <source>Check and queue the result for sending (Ctrl+Enter)</source>
        <translation>Vérifier le résultat et le mettre en file d’envoi (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>Pick a task</source>
        <translation>Choisissez une tâche</translation>
    </message>
    <message>
        <source>Choose a task in the list, or press Alt+Right to open the next one.</source>
        <translation>Choisissez une tâche dans la liste, ou appuyez sur Alt+Droite pour ouvrir la suivante.</translation>
    </message>
    <message>
        <source>No tasks yet</source>
        <translation>Aucune tâche pour l’instant</translation>
    </message>
    <message>
        <source>Import a bundle of tasks: a .zip file from the platform or a USB stick. Once imported, you can work without a network.</source>
        <translation>Importez un lot de tâches&#xa0;: un fichier .zip venu de la plateforme ou d’une clé USB. Une fois importé, vous pouvez travailler sans réseau.</translation>
    </message>
    <message>
        <source>Reward %1</source>
        <translation>Rémunération %1</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>Échéance %1</translation>
    </message>
    <message>
        <source>%1 editor</source>
        <translation>Éditeur&#xa0;: %1</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>aucun motif donné</translation>
    </message>
    <message>
        <source>Refused by the server: %1</source>
        <translation>Refusé par le serveur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Accepted — read only</source>
        <translation>Accepté — lecture seule</translation>
    </message>
    <message>
        <source>Submitted — read only</source>
        <translation>Soumis — lecture seule</translation>
    </message>
    <message>
        <source>✔ No problems found</source>
        <translation>✔ Aucun problème trouvé</translation>
    </message>
</context>
<context>
    <name>TaskQueueModel</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Reward</source>
        <translation>Rémunération</translation>
    </message>
</context>
<context>
    <name>TranscriptEdits</name>
    <message>
        <source>Type what you hear. Esc plays and pauses; Ctrl+J stamps the time.</source>
        <translation>Tapez ce que vous entendez. Échap lance et met en pause&#x202f;; Ctrl+J insère l’heure.</translation>
    </message>
    <message>
        <source>Text of this segment</source>
        <translation>Texte de ce segment</translation>
    </message>
</context>
<context>
    <name>TranscriptionCommand</name>
    <message>
        <source>Insert tag %1 of the palette</source>
        <translation>Insérer la balise %1 de la palette</translation>
    </message>
    <message>
        <source>Speaker %1 for this segment</source>
        <translation>Locuteur %1 pour ce segment</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>Lecture ou pause</translation>
    </message>
    <message>
        <source>Skip back</source>
        <translation>Reculer</translation>
    </message>
    <message>
        <source>Skip forward</source>
        <translation>Avancer</translation>
    </message>
    <message>
        <source>Slower</source>
        <translation>Plus lent</translation>
    </message>
    <message>
        <source>Faster</source>
        <translation>Plus rapide</translation>
    </message>
    <message>
        <source>Loop the selection on or off</source>
        <translation>Activer ou couper la lecture en boucle de la sélection</translation>
    </message>
    <message>
        <source>Insert a timestamp</source>
        <translation>Insérer un horodatage</translation>
    </message>
    <message>
        <source>Split the segment at the playhead and the cursor</source>
        <translation>Couper le segment à la tête de lecture et au curseur</translation>
    </message>
    <message>
        <source>Merge the segment with the next one</source>
        <translation>Fusionner le segment avec le suivant</translation>
    </message>
    <message>
        <source>Previous segment</source>
        <translation>Segment précédent</translation>
    </message>
    <message>
        <source>Next segment</source>
        <translation>Segment suivant</translation>
    </message>
    <message>
        <source>Play from the segment&apos;s start</source>
        <translation>Lire depuis le début du segment</translation>
    </message>
</context>
<context>
    <name>TranscriptionEditor</name>
    <message>
        <source>Waveform of the clip</source>
        <translation>Forme d’onde de l’extrait</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segments</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcription</translation>
    </message>
    <message>
        <source>Insert [%1] (Alt+%2)</source>
        <translation>Insérer [%1] (Alt+%2)</translation>
    </message>
    <message>
        <source>%1 speaks in this segment (Ctrl+%2)</source>
        <translation>%1 parle dans ce segment (Ctrl+%2)</translation>
    </message>
    <message>
        <source>clean verbatim</source>
        <translation>verbatim nettoyé</translation>
    </message>
    <message>
        <source>full verbatim</source>
        <translation>verbatim intégral</translation>
    </message>
    <message>
        <source>tags: %1</source>
        <translation>balises&#xa0;: %1</translation>
    </message>
    <message>
        <source>speakers: %1</source>
        <translation>locuteurs&#xa0;: %1</translation>
    </message>
    <message>
        <source>starts at %1 of the recording</source>
        <translation>commence à %1 de l’enregistrement</translation>
    </message>
    <message>
        <source>The clip of this task is not available.</source>
        <translation>L’extrait audio de cette tâche n’est pas disponible.</translation>
    </message>
    <message>
        <source>The clip&apos;s path leaves the bundle: the task is damaged.</source>
        <translation>Le chemin de l’extrait sort du lot&#xa0;: la tâche est endommagée.</translation>
    </message>
    <message>
        <source>Opening the clip…</source>
        <translation>Ouverture de l’extrait…</translation>
    </message>
    <message>
        <source>The clip cannot be opened: %1</source>
        <translation>Impossible d’ouvrir l’extrait&#xa0;: %1</translation>
    </message>
    <message>
        <source>Playback is unavailable: no audio output device was found. You can still type and submit.</source>
        <translation>La lecture est indisponible&#xa0;: aucune sortie audio n’a été trouvée. Vous pouvez quand même saisir et soumettre.</translation>
    </message>
    <message>
        <source>Playback is unavailable: the PortAudio library (libportaudio2) is not installed; install it and restart Ouvrage. You can still type and submit.</source>
        <translation>La lecture est indisponible&#xa0;: la bibliothèque PortAudio (libportaudio2) n’est pas installée&#x202f;; installez-la puis redémarrez Ouvrage. Vous pouvez quand même saisir et soumettre.</translation>
    </message>
    <message>
        <source>Playback is unavailable; you can still type and submit.</source>
        <translation>La lecture est indisponible&#x202f;; vous pouvez quand même saisir et soumettre.</translation>
    </message>
    <message>
        <source>Speed %1×</source>
        <translation>Vitesse %1×</translation>
    </message>
    <message>
        <source>Looping %1 – %2</source>
        <translation>Boucle %1 – %2</translation>
    </message>
    <message>
        <source>Select a stretch of the waveform to loop it.</source>
        <translation>Sélectionnez un passage de la forme d’onde pour le lire en boucle.</translation>
    </message>
    <message>
        <source>End of the clip.</source>
        <translation>Fin de l’extrait.</translation>
    </message>
</context>
<context>
    <name>TranslationEditor</name>
    <message>
        <source>Ctrl+↑/↓ segment · Ctrl+R, Alt+1–5 match · Alt+Enter confirm · Ctrl+B source · Ctrl+F search</source>
        <translation>Ctrl+↑/↓ segment · Ctrl+R, Alt+1–5 correspondance · Alt+Entrée confirmer · Ctrl+B source · Ctrl+F recherche</translation>
    </message>
    <message>
        <source>Language pair</source>
        <translation>Paire de langues</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <source>Waveform</source>
        <translation>Forme d’onde</translation>
    </message>
    <message>
        <source>Audio waveform. Click to move the playhead, drag to select, drag a segment edge to adjust it, Ctrl+wheel to zoom, Left and Right to move by a second.</source>
        <translation>Forme d’onde audio. Cliquez pour déplacer la tête de lecture, faites glisser pour sélectionner, faites glisser le bord d’un segment pour l’ajuster, Ctrl+molette pour zoomer, Gauche et Droite pour se déplacer d’une seconde.</translation>
    </message>
    <message>
        <source>No audio loaded</source>
        <translation>Aucun audio chargé</translation>
    </message>
    <message>
        <source>The audio clip is empty</source>
        <translation>L’extrait audio est vide</translation>
    </message>
    <message>
        <source>The waveform could not be read</source>
        <translation>Impossible de lire la forme d’onde</translation>
    </message>
</context>
<context>
    <name>WorkTime</name>
    <message>
        <source>%1 %2 tasks in a row: switching to another kind for a while helps you stay accurate.</source>
        <translation>%1 tâches «&#xa0;%2&#xa0;» d’affilée&#xa0;: passer un moment à un autre type vous aide à rester précis.</translation>
    </message>
</context>
<context>
    <name>accessibility</name>
    <message>
        <source>%1: scrollable area</source>
        <translation>%1&#xa0;: zone défilante</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>Tasks, outbox, catalogue, earnings and qualifications; Ctrl+1 to Ctrl+5 switch between them</source>
        <translation>Tâches, boîte d’envoi, catalogue, gains et qualifications&#x202f;; Ctrl+1 à Ctrl+5 passent de l’une à l’autre</translation>
    </message>
    <message>
        <source>Task queue and open task</source>
        <translation>File des tâches et tâche ouverte</translation>
    </message>
    <message>
        <source>Up and Down move between tasks and open them; Alt+Left and Alt+Right too</source>
        <translation>Haut et Bas parcourent les tâches et les ouvrent&#x202f;; Alt+Gauche et Alt+Droite aussi</translation>
    </message>
    <message>
        <source>Tasks shown</source>
        <translation>Tâches affichées</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>The folder this profile is kept in</source>
        <translation>Le dossier où ce profil est conservé</translation>
    </message>
    <message>
        <source>Network state</source>
        <translation>État du réseau</translation>
    </message>
    <message>
        <source>Whether results can be sent now</source>
        <translation>Si les résultats peuvent être envoyés maintenant</translation>
    </message>
    <message>
        <source>Results waiting to send</source>
        <translation>Résultats en attente d’envoi</translation>
    </message>
    <message>
        <source>Earnings today</source>
        <translation>Gains du jour</translation>
    </message>
    <message>
        <source>Lease warning</source>
        <translation>Alerte de réservation</translation>
    </message>
    <message>
        <source>The lease that ends first</source>
        <translation>La réservation qui se termine en premier</translation>
    </message>
</context>
<context>
    <name>appearance</name>
    <message>
        <source>Follow the &amp;system</source>
        <translation>Suivre le &amp;système</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Clair</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>S&amp;ombre</translation>
    </message>
    <message>
        <source>&amp;High contrast</source>
        <translation>Contraste é&amp;levé</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;avant</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>Zoom a&amp;rrière</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>Ta&amp;ille réelle</translation>
    </message>
    <message>
        <source>&amp;Colours</source>
        <translation>C&amp;ouleurs</translation>
    </message>
    <message>
        <source>Text size %1 %</source>
        <translation>Taille du texte %1&#xa0;%</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Ouvrage bundles (*.zip *.ouvrage);;All files (*)</source>
        <translation>Lots Ouvrage (*.zip *.ouvrage);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Bundle refused</source>
        <translation>Lot refusé</translation>
    </message>
    <message>
        <source>Profile problem</source>
        <translation>Problème de profil</translation>
    </message>
    <message>
        <source>Cannot do that yet</source>
        <translation>Pas encore possible</translation>
    </message>
    <message>
        <source>%1%2. Check the disk and try again.</source>
        <translation>%1%2. Vérifiez le disque et réessayez.</translation>
    </message>
    <message>
        <source>File problem</source>
        <translation>Problème de fichier</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <source>Import bundles</source>
        <translation>Importer des lots</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>Exporter les résultats</translation>
    </message>
    <message>
        <source>About Ouvrage</source>
        <translation>À propos d’Ouvrage</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ouvrage %1&lt;/b&gt;&lt;p&gt;Work on micro-tasks offline; results are kept safely and sent when the network comes back.&lt;/p&gt;&lt;p&gt;Licence: GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Ouvrage %1&lt;/b&gt;&lt;p&gt;Travaillez sur des micro-tâches hors ligne&#x202f;; les résultats sont conservés en sécurité et envoyés au retour du réseau.&lt;/p&gt;&lt;p&gt;Licence&#xa0;: GPL-3.0-ou-ultérieure.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Release a bundle</source>
        <translation>Rendre un lot</translation>
    </message>
    <message>
        <source>Give this bundle back to the platform:</source>
        <translation>Rendre ce lot à la plateforme&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Release “%1”? Its %n task(s) not submitted yet go back to the platform, and your drafts of them are deleted. Results you already submitted still count.</source>
        <translation>
            <numerusform>Rendre «&#xa0;%1&#xa0;»&#x202f;? Sa tâche pas encore soumise retourne à la plateforme, et votre brouillon est supprimé. Les résultats déjà soumis restent comptés.</numerusform>
            <numerusform>Rendre «&#xa0;%1&#xa0;»&#x202f;? Ses %n tâches pas encore soumises retournent à la plateforme, et vos brouillons sont supprimés. Les résultats déjà soumis restent comptés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Release the bundle?</source>
        <translation>Rendre le lot&#x202f;?</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1&#xa0;j&#xa0;%2&#xa0;h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1&#xa0;h&#xa0;%2&#xa0;min</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1&#xa0;min</translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <source>Menu %1</source>
        <translation>Menu %1</translation>
    </message>
    <message>
        <source>Moving around</source>
        <translation>Se déplacer</translation>
    </message>
    <message>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Maj+Tab</translation>
    </message>
    <message>
        <source>Next / previous control</source>
        <translation>Contrôle suivant / précédent</translation>
    </message>
    <message>
        <source>Up, Down</source>
        <translation>Haut, Bas</translation>
    </message>
    <message>
        <source>Move in the task queue (opens the task)</source>
        <translation>Parcourir la file des tâches (ouvre la tâche)</translation>
    </message>
    <message>
        <source>Next / previous view</source>
        <translation>Vue suivante / précédente</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espace</translation>
    </message>
    <message>
        <source>Press the focused button</source>
        <translation>Appuyer sur le bouton actif</translation>
    </message>
    <message>
        <source>Close a dialog</source>
        <translation>Fermer une boîte de dialogue</translation>
    </message>
    <message>
        <source>Open the menus</source>
        <translation>Ouvrir les menus</translation>
    </message>
    <message>
        <source>Previous / next segment</source>
        <translation>Segment précédent / suivant</translation>
    </message>
    <message>
        <source>Replace with the best match / match n</source>
        <translation>Remplacer par la meilleure correspondance / la correspondance n</translation>
    </message>
    <message>
        <source>Confirm the segment and go on</source>
        <translation>Confirmer le segment et continuer</translation>
    </message>
    <message>
        <source>Copy the source into the target</source>
        <translation>Copier la source dans la cible</translation>
    </message>
    <message>
        <source>Search the memory (concordance)</source>
        <translation>Chercher dans la mémoire (concordance)</translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation>(aucune touche)</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Shift+drag</source>
        <translation>Maj+glisser</translation>
    </message>
    <message>
        <source>Freehand outline</source>
        <translation>Contour à main levée</translation>
    </message>
    <message>
        <source>Close the polygon</source>
        <translation>Fermer le polygone</translation>
    </message>
    <message>
        <source>Remove the last point</source>
        <translation>Retirer le dernier point</translation>
    </message>
    <message>
        <source>Cancel the shape, or deselect</source>
        <translation>Annuler la forme, ou désélectionner</translation>
    </message>
    <message>
        <source>or</source>
        <comment>the word before a key in a tooltip: (or hold Alt)</comment>
        <translation>ou</translation>
    </message>
    <message>
        <source>%1 editor</source>
        <translation>Éditeur&#xa0;: %1</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Search: a key or what it does</source>
        <translation>Rechercher&#xa0;: une touche ou ce qu’elle fait</translation>
    </message>
    <message>
        <source>Search shortcuts</source>
        <translation>Rechercher dans les raccourcis</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Rechercher&#xa0;:</translation>
    </message>
    <message>
        <source>Shortcuts by screen</source>
        <translation>Raccourcis par écran</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>No shortcut matches.</source>
        <translation>Aucun raccourci ne correspond.</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>&amp;Tour</source>
        <translation>&amp;Visite guidée</translation>
    </message>
    <message>
        <source>Export &amp;diagnostics…</source>
        <translation>Exporter les &amp;diagnostics…</translation>
    </message>
    <message>
        <source>Save a zip for a bug report: logs without passwords or tokens, versions, settings</source>
        <translation>Enregistrer un zip pour signaler un bogue&#xa0;: journaux sans mots de passe ni jetons, versions, réglages</translation>
    </message>
    <message>
        <source>Export diagnostics</source>
        <translation>Exporter les diagnostics</translation>
    </message>
    <message>
        <source>Zip files (*.zip)</source>
        <translation>Fichiers zip (*.zip)</translation>
    </message>
    <message>
        <source>Diagnostics written to %1</source>
        <translation>Diagnostics écrits dans %1</translation>
    </message>
</context>
<context>
    <name>state</name>
    <message>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>Brouillon</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En file</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyée</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Acceptée</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Refusée</translation>
    </message>
</context>
<context>
    <name>tour</name>
    <message>
        <source>Your tasks</source>
        <translation>Vos tâches</translation>
    </message>
    <message>
        <source>The queue lists every task you hold, with its state and reward. Filter it by kind, bundle or state; Up and Down, or Alt+Left and Alt+Right, open the previous or next task. Everything works offline.</source>
        <translation>La file liste toutes vos tâches, avec leur état et leur rémunération. Filtrez-la par type, lot ou état&#x202f;; Haut et Bas, ou Alt+Gauche et Alt+Droite, ouvrent la tâche précédente ou suivante. Tout fonctionne hors ligne.</translation>
    </message>
    <message>
        <source>Translating</source>
        <translation>Traduire</translation>
    </message>
    <message>
        <source>Type the translation under each source segment. Matches from your memory appear beside it (Ctrl+R takes the best one); problems show as you type. Drafts are saved within a second. Ctrl+Enter submits.</source>
        <translation>Saisissez la traduction sous chaque segment source. Les correspondances de votre mémoire s’affichent à côté (Ctrl+R prend la meilleure)&#x202f;; les problèmes apparaissent pendant la saisie. Les brouillons sont enregistrés en moins d’une seconde. Ctrl+Entrée soumet.</translation>
    </message>
    <message>
        <source>Transcribing</source>
        <translation>Transcrire</translation>
    </message>
    <message>
        <source>Esc plays and pauses the clip, F1 and F2 skip back and forward, F3 and F4 change the speed, Ctrl+J stamps the time. Keys can be changed in the editor&apos;s settings.</source>
        <translation>Échap lance et met en pause l’extrait, F1 et F2 reculent et avancent, F3 et F4 changent la vitesse, Ctrl+J insère l’heure. Les touches se changent dans les réglages de l’éditeur.</translation>
    </message>
    <message>
        <source>Clipping photos</source>
        <translation>Détourer des photos</translation>
    </message>
    <message>
        <source>Click around the object to outline it (P), or paint with the brush (B). G draws a box and lets the computer propose the outline. Ctrl+Z undoes; Ctrl+wheel zooms.</source>
        <translation>Cliquez autour de l’objet pour le détourer (P), ou peignez au pinceau (B). G trace un cadre et laisse l’ordinateur proposer le contour. Ctrl+Z annule&#x202f;; Ctrl+molette zoome.</translation>
    </message>
    <message>
        <source>Sending results</source>
        <translation>Envoyer les résultats</translation>
    </message>
    <message>
        <source>Submitted results wait in the outbox until a network is there; they go on their own, or at once with F5. Each one is sent exactly once, even if the connection breaks.</source>
        <translation>Les résultats soumis attendent dans la boîte d’envoi qu’un réseau soit là&#x202f;; ils partent d’eux-mêmes, ou tout de suite avec F5. Chacun est envoyé une seule fois, même si la connexion coupe.</translation>
    </message>
    <message>
        <source>Your earnings</source>
        <translation>Vos gains</translation>
    </message>
    <message>
        <source>What the platform reported: totals by day, week, month and year, your hourly rate by kind and the yearly cap. Press Ctrl+/ for every shortcut; Help › Tour shows these cards again.</source>
        <translation>Ce que la plateforme a communiqué&#xa0;: totaux par jour, semaine, mois et année, votre gain horaire par type et le plafond annuel. Ctrl+/ affiche tous les raccourcis&#x202f;; Aide › Visite guidée remontre ces cartes.</translation>
    </message>
    <message>
        <source>Tour of Ouvrage</source>
        <translation>Visite guidée d’Ouvrage</translation>
    </message>
    <message>
        <source>◀ &amp;Back</source>
        <translation>◀ &amp;Retour</translation>
    </message>
    <message>
        <source>&amp;Next ▶</source>
        <translation>&amp;Suivant ▶</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Fermer</translation>
    </message>
    <message>
        <source>Previous card (Alt+B)</source>
        <translation>Carte précédente (Alt+R)</translation>
    </message>
    <message>
        <source>Next card (Alt+N, Enter)</source>
        <translation>Carte suivante (Alt+S, Entrée)</translation>
    </message>
    <message>
        <source>End the tour (Esc); Help › Tour shows it again</source>
        <translation>Terminer la visite (Échap)&#x202f;; Aide › Visite guidée la relance</translation>
    </message>
    <message>
        <source>(No task of this kind is in your queue yet: claim one from the Catalogue.)</source>
        <translation>(Aucune tâche de ce type dans votre file pour l’instant&#xa0;: réservez-en une dans le Catalogue.)</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Terminé</translation>
    </message>
</context>
</TS>
