<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en_US">
<context>
    <name>CatalogueView</name>
    <message numerus="yes">
        <source>%n bundle(s) on offer. Claim one to download it, then work offline.</source>
        <translation>
            <numerusform>%n bundle on offer. Claim it to download it, then work offline.</numerusform>
            <numerusform>%n bundles on offer. Claim one to download it, then work offline.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EarningsView</name>
    <message numerus="yes">
        <source>%1 ledger entries from the last sync, kept on this computer. %Ln task(s) rejected (%2), which earn nothing.</source>
        <translation>
            <numerusform>%1 ledger entries from the last sync, kept on this computer. %Ln task rejected (%2), which earns nothing.</numerusform>
            <numerusform>%1 ledger entries from the last sync, kept on this computer. %Ln tasks rejected (%2), which earn nothing.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln task(s) rejected; they earn nothing.</source>
        <translation>
            <numerusform>%Ln task rejected; it earns nothing.</numerusform>
            <numerusform>%Ln tasks rejected; they earn nothing.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Fix the %n problem(s) marked ✖ before submitting.</source>
        <translation>
            <numerusform>Fix the problem marked ✖ before submitting.</numerusform>
            <numerusform>Fix the %n problems marked ✖ before submitting.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported &apos;%1&apos;: %n task(s).</source>
        <translation>
            <numerusform>Imported &apos;%1&apos;: %n task.</numerusform>
            <numerusform>Imported &apos;%1&apos;: %n tasks.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n result(s) to %1</source>
        <translation>
            <numerusform>Exported %n result to %1</numerusform>
            <numerusform>Exported %n results to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QualificationsView</name>
    <message numerus="yes">
        <source>You hold %1 of %n qualification(s). Bundles that need one unlock once it is earned.</source>
        <translation>
            <numerusform>You hold %1 of %n qualification. Bundles that need it unlock once it is earned.</numerusform>
            <numerusform>You hold %1 of %n qualifications. Bundles that need one unlock once it is earned.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SegmentRow</name>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n character</numerusform>
            <numerusform>%n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServerLink</name>
    <message numerus="yes">
        <source>Downloaded &apos;%1&apos;: %n task(s) ready to work on, offline too.</source>
        <translation>
            <numerusform>Downloaded &apos;%1&apos;: %n task ready to work on, offline too.</numerusform>
            <numerusform>Downloaded &apos;%1&apos;: %n tasks ready to work on, offline too.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n task(s) open</source>
        <translation>
            <numerusform>%1 — %n task open</numerusform>
            <numerusform>%1 — %n tasks open</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncService</name>
    <message numerus="yes">
        <source> — %n result(s) refused, see the outbox</source>
        <translation>
            <numerusform> — %n result refused, see the outbox</numerusform>
            <numerusform> — %n results refused, see the outbox</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message numerus="yes">
        <source>Release “%1”? Its %n task(s) not submitted yet go back to the platform, and your drafts of them are deleted. Results you already submitted still count.</source>
        <translation>
            <numerusform>Release “%1”? Its %n task not submitted yet goes back to the platform, and your draft of it is deleted. Results you already submitted still count.</numerusform>
            <numerusform>Release “%1”? Its %n tasks not submitted yet go back to the platform, and your drafts of them are deleted. Results you already submitted still count.</numerusform>
        </translation>
    </message>
</context>
</TS>
