// Profiles of what the adapter writes (mappings/*.yaml). Each one must accept the resources the
// mappings produce for the demo studies; the examples in examples.fsh mirror them.

Invariant: ct-pat-1
Description: "Birth date or age required: DM.BRTHDTC (Patient.birthDate) or DM.AGE with DM.AGEU (extension subject-age)."
Expression: "birthDate.exists() or extension.where(url='https://fhir.celltrial.org/StructureDefinition/subject-age').exists()"
Severity: #error

Profile: CellTrialPatient
Parent: Patient
Id: celltrial-patient
Title: "CellTrial Patient"
Description: "A trial subject as a person, from SDTM DM. There is one Patient per subject and study (id {STUDYID}-{USUBJID}). It carries only what DM gives: the unique subject id, sex, birth date (often partial in SDTM) or age (DM.AGE, DM.AGEU; many studies deliver no DM.BRTHDTC), race (DM.RACE), ethnicity (DM.ETHNIC), country (DM.COUNTRY) and death."
* obeys ct-pat-1
* extension contains
    SubjectAge named subjectAge 0..1 MS and
    SdtmRace named race 0..* MS and
    SdtmEthnicity named ethnicity 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[subjectAge] ^short = "Age at the reference start date (DM.AGE, DM.AGEU)"
* extension[race] ^short = "Race (DM.RACE)"
* extension[ethnicity] ^short = "Ethnicity (DM.ETHNIC)"
* insert IdentifierSlicing
* identifier 1..* MS
* identifier contains usubjid 1..1 MS
* identifier[usubjid] ^short = "Unique subject identifier (DM.USUBJID)"
* identifier[usubjid].system 1..1
* identifier[usubjid].system = $SID-USUBJID (exactly)
* identifier[usubjid].value 1..1 MS
* gender 1..1 MS
* gender ^short = "Sex (DM.SEX: M, F, U, UNDIFFERENTIATED)"
* birthDate 0..1 MS
* birthDate ^short = "Birth date (DM.BRTHDTC); year or year-month allowed. Birth date or age is required (ct-pat-1)"
* address MS
* address.country MS
* address.country ^short = "Country of the investigational site (DM.COUNTRY, ISO 3166-1 alpha-3)"
* deceased[x] MS
* deceased[x] ^short = "Death flag or date (DM.DTHFL, DM.DTHDTC)"

Profile: CellTrialResearchStudy
Parent: ResearchStudy
Id: celltrial-researchstudy
Title: "CellTrial ResearchStudy"
Description: "A clinical trial, from SDTM TS (trial summary) and DM (arms). The id is STUDYID. Every TS row is also kept as it was delivered in the extension trial-summary-parameter."
* extension contains
    TrialSummaryParameter named trialSummaryParameter 0..* MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[trialSummaryParameter] ^short = "One TS row (TSPARMCD, TSPARM, TSVAL, TSVALNF, TSVALCD, TSVCDREF)"
* insert IdentifierSlicing
* identifier 1..* MS
* identifier ^short = "Study identifier; trial registry ids (TS.REGID) as further identifiers with use = secondary"
* identifier contains studyid 1..1 MS
* identifier[studyid] ^short = "Study identifier (STUDYID)"
* identifier[studyid].system 1..1
* identifier[studyid].system = $SID-STUDYID (exactly)
* identifier[studyid].value 1..1 MS
* title MS
* title ^short = "Trial title (TS TITLE)"
* status MS
* phase MS
* phase from $VS-PHASE (extensible)
* phase ^short = "Trial phase (TS TPHASE)"
* condition MS
* condition ^short = "Disease or condition studied (TS INDIC)"
* description MS
* sponsor MS
* arm MS
* arm ^short = "Planned arms (DM.ARMCD = name, DM.ARM = description)"
* arm.name MS
* arm.description MS

Profile: CellTrialResearchSubject
Parent: ResearchSubject
Id: celltrial-researchsubject
Title: "CellTrial ResearchSubject"
Description: "The participation of a patient in a trial, from SDTM DM: subject ids, arm and the reference period (RFSTDTC-RFENDTC). The id is {STUDYID}-{USUBJID}."
* extension contains
    SdtmArm named arm 0..1 MS and
    SdtmActualArm named actualArmDescription 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[arm] ^short = "Planned arm description (DM.ARM)"
* extension[actualArmDescription] ^short = "Actual arm description (DM.ACTARM)"
* insert IdentifierSlicing
* identifier 2..* MS
* identifier contains usubjid 1..1 MS and subjid 1..1 MS
* identifier[usubjid] ^short = "Unique subject identifier (DM.USUBJID)"
* identifier[usubjid].system 1..1
* identifier[usubjid].system = $SID-USUBJID (exactly)
* identifier[usubjid].value 1..1 MS
* identifier[subjid] ^short = "Subject identifier within the study (DM.SUBJID)"
* identifier[subjid].system 1..1
* identifier[subjid].system = $SID-SUBJID (exactly)
* identifier[subjid].value 1..1 MS
* status MS
* status ^short = "on-study, or off-study once DM.RFENDTC is known"
* period MS
* period ^short = "Reference period: DM.RFSTDTC (study day 1) to DM.RFENDTC"
* study MS
* study only Reference(CellTrialResearchStudy)
* individual 1..1 MS
* individual only Reference(CellTrialPatient)
* assignedArm MS
* assignedArm ^short = "Planned arm code (DM.ARMCD)"
* actualArm MS
* actualArm ^short = "Actual arm code (DM.ACTARMCD)"

Profile: CellTherapyProcedure
Parent: Procedure
Id: celltherapy-procedure
Title: "Cell therapy procedure"
Description: "A procedure of a cell therapy or transplantation trial, from SDTM PR: stem cell collection, haploidentical or autologous HSCT, NK cell infusion."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    DonorRelationship named donorRelationship 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* status MS
* status ^short = "completed, or not-done when PR.PROCCUR = N"
* category MS
* code 1..1 MS
* code from CellTherapyProcedureCodes (extensible)
* code ^short = "The procedure (PR.PRTRT)"
* subject MS
* subject only Reference(CellTrialPatient)
* performed[x] 1..1 MS
* performed[x] only dateTime or Period
* performed[x] ^short = "When (PR.PRSTDTC-PR.PRENDTC; a missing start date is computed from PR.PRSTDY)"

Invariant: ct-ma-1
Description: "An administration that happened (status other than not-done) needs its dose (dosage.dose) or a dosage text (dosage.text)."
Expression: "status = 'not-done' or dosage.dose.exists() or dosage.text.exists()"
Severity: #error

Profile: CellProductAdministration
Parent: MedicationAdministration
Id: cellproduct-administration
Title: "Cell product or drug administration"
Description: "One administration or course of a study product, from SDTM EX (and EC, exposure as collected): the NK cell infusion, and the conditioning, lymphodepleting and radionuclide treatments around it. The dose is a UCUM quantity (--DOSE, --DOSU); for drug courses it is the daily dose. An administration that did not happen (status not-done, e.g. EC.ECOCCUR = N) needs no dose; any other needs a dose or a dosage text (ct-ma-1)."
* obeys ct-ma-1
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    ProductLot named productLot 0..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    CellMarker named cellMarker 0..1 MS and
    ExVivoStimulation named exVivoStimulation 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* status MS
* category MS
* medication[x] only CodeableConcept
* medication[x] MS
* medication[x] ^short = "The product (EX.EXTRT)"
* subject MS
* subject only Reference(CellTrialPatient)
* effective[x] MS
* effective[x] ^short = "When (EX.EXSTDTC-EX.EXENDTC)"
* partOf MS
* partOf ^short = "The procedure this administration is part of (e.g. the NK cell infusion procedure)"
* dosage 0..1 MS
* dosage.text MS
* dosage.text ^short = "Dose as text when it is no UCUM quantity (e.g. --DOSTXT)"
* dosage.route MS
* dosage.dose 0..1 MS
* dosage.dose ^short = "Dose per administration, or daily dose of a course (EX.EXDOSE, EX.EXDOSU); required unless status = not-done or dosage.text is given (ct-ma-1)"
* dosage.dose.value 1..1 MS
* dosage.dose.unit MS
* dosage.dose.system 1..1 MS
* dosage.dose.system = $UCUM (exactly)
* dosage.dose.code 1..1 MS

Profile: CellTrialAdverseEvent
Parent: AdverseEvent
Id: celltrial-adverseevent
Title: "CellTrial AdverseEvent"
Description: "An adverse event of a trial subject, from SDTM AE: verbatim and MedDRA-coded term, dates, seriousness and its criteria, severity, CTCAE grade, causality, action taken and outcome. Aligned with the HL7 Adverse Event Clinical Research IG where it speaks: actuality actual, seriousness and study required, the grade as an extension, seriousness criteria as an extension. Outcome is optional because AE.AEOUT is Permissible in SDTMIG; causality (AE.AEREL, Expected in SDTMIG) stays optional."
* extension contains
    CtcaeGrade named ctcaeGrade 0..1 MS and
    AeEndDate named endDate 0..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    AeSeriousnessCriteria named seriousnessCriteria 0..1 MS and
    AeActionTaken named actionTaken 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[seriousnessCriteria] ^short = "Seriousness criteria (AE.AESDTH, AESLIFE, AESHOSP, AESDISAB, AESCONG, AESMIE, AESCAN, AESOD)"
* extension[actionTaken] ^short = "Action taken with the study treatment (AE.AEACN)"
* identifier 1..1 MS
* identifier ^short = "SDTM record: {STUDYID}/{USUBJID}/AE/{AESEQ}"
* identifier.system 1..1
* identifier.system = $SID-RECORD (exactly)
* identifier.value 1..1
* actuality = #actual
* event 1..1 MS
* event.text 1..1 MS
* event.text ^short = "Reported term (AE.AETERM)"
* event.coding MS
* event.coding ^short = "MedDRA codings (system http://terminology.hl7.org/CodeSystem/mdr): preferred term AEPTCD/AEDECOD, lowest level term AELLTCD/AELLT, SOC AESOCCD/AESOC"
* subject MS
* subject only Reference(CellTrialPatient)
* date 1..1 MS
* date ^short = "Start (AE.AESTDTC; computed from AE.AESTDY when missing)"
* seriousness 1..1 MS
* seriousness from $VS-AESERIOUS (required)
* seriousness ^short = "Serious or not (AE.AESER)"
* severity MS
* severity ^short = "Severity (AE.AESEV)"
* outcome 0..1 MS
* outcome ^short = "Outcome (AE.AEOUT; Permissible in SDTMIG, so optional)"
* study 1..* MS
* study only Reference(CellTrialResearchStudy)
* suspectEntity MS
* suspectEntity ^short = "The study treatment and its relationship to the event (AE.AEREL)"
* suspectEntity.instance MS
* suspectEntity.causality MS
* suspectEntity.causality.assessment MS
* suspectEntity.causality.assessment from AeCausality (required)
* suspectEntity.causality.productRelatedness MS

Profile: ClinicalEventObservation
Parent: Observation
Id: clinical-event-observation
Title: "Clinical event observation"
Description: "A clinical event of interest after transplantation, from SDTM CE: neutrophil and platelet engraftment, relapse, disease-free status. The value says whether the event occurred (CE.CEOCCUR)."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* status MS
* category MS
* category ^short = "Category (CE.CECAT)"
* code MS
* code from ClinicalEventCodes (extensible)
* code ^short = "The event (CE.CETERM)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* effective[x] 1..1 MS
* effective[x] only dateTime or Period
* effective[x] ^short = "When (CE.CESTDTC; computed from CE.CESTDY when missing)"
* value[x] MS
* value[x] only boolean
* value[x] ^short = "Did the event occur? (CE.CEOCCUR)"

