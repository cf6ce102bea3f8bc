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
* suspectEntity.causality.assessment from AeCausality (extensible)
* suspectEntity.causality.assessment ^short = "Causality (AE.AEREL): sponsors word AEREL in their own terms, so the binding is extensible and a term our ConceptMap lacks stays as text with a data-quality flag"
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

// ---- Wave 2: every SDTM domain class (issue 13) -----------------------------------------------------
// The trial is the core extension workflow-researchStudy where FHIR R4 allows it (Observation,
// MedicationStatement, Encounter) and our research-study elsewhere (Condition, EpisodeOfCare, Group, List,
// Device). The SDTM record identifier ({STUDYID}/{USUBJID}/{DOMAIN}/{--SEQ}) uses the domain's natural key
// where the domain has no --SEQ (e.g. SV: VISITNUM, TI: IETESTCD, RELREC: RELID).

Profile: SdtmFinding
Parent: Observation
Id: sdtm-finding
Title: "SDTM finding"
Description: "One record of an SDTM Findings domain (LB, VS, EG, QS, FT, RS, TR, OE, FA, DD, IE, ...): the test (--TESTCD, --TEST, --LOINC), the standardized result (--STRESN/--STRESC with --STRESU, or why it is missing: --STAT, --REASND), the reference range (--STNRLO, --STNRHI), the reference range indicator (--NRIND), specimen (--SPEC), location (--LOC), method (--METHOD), timing (--DTC, --DY, VISITNUM, VISIT, EPOCH) and the result as collected (--ORRES, --ORRESU, --ORNRLO, --ORNRHI)."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmVisit named visit 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    OriginalResult named originalResult 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[studyDay] ^short = "Study day of the finding (--DY)"
* extension[visit] ^short = "Visit (VISITNUM, VISIT)"
* extension[epoch] ^short = "Epoch (EPOCH)"
* extension[originalResult] ^short = "Result as collected (--ORRES, --ORRESU, --ORNRLO, --ORNRHI)"
* insert SdtmRecordIdentifier
* status MS
* status ^short = "final; cancelled when the test was not done (--STAT = NOT DONE)"
* category MS
* category ^short = "Domain and category (DOMAIN, --CAT, --SCAT)"
* code 1..1 MS
* code ^short = "The test (--TESTCD, --TEST, --LOINC)"
* code.coding MS
* code.coding ^short = "Test short name (--TESTCD) as a coding; LOINC (--LOINC) with system http://loinc.org"
* code.text 1..1 MS
* code.text ^short = "Test name (--TEST)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* effective[x] 0..1 MS
* effective[x] only dateTime or Period
* effective[x] ^short = "When (--DTC, or --DTC to --ENDTC)"
* value[x] MS
* value[x] ^short = "Standardized result: Quantity (--STRESN, --STRESU), string or CodeableConcept (--STRESC)"
* dataAbsentReason MS
* dataAbsentReason ^short = "Why there is no result (--STAT, --REASND)"
* interpretation MS
* interpretation ^short = "Reference range indicator (--NRIND)"
* referenceRange MS
* referenceRange ^short = "Standardized normal range (--STNRLO, --STNRHI)"
* referenceRange.low MS
* referenceRange.high MS
* specimen MS
* specimen ^short = "Specimen type (--SPEC), as display only"
* bodySite MS
* bodySite ^short = "Location (--LOC)"
* method MS
* method ^short = "Method of the test (--METHOD)"

Profile: SdtmEventObservation
Parent: Observation
Id: sdtm-event-observation
Title: "SDTM event observation"
Description: "One record of an SDTM Events domain that has no better FHIR home: disposition (DS), sponsor-defined event domains. The event (--DECOD, else --TERM), its category (--CAT, --SCAT), when (--STDTC, --ENDTC, --DTC; --STDY, --ENDY; EPOCH) and, where the domain has one, a value (e.g. --OCCUR)."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[studyDay] ^short = "Study day of the (start of the) event (--STDY, --DY)"
* extension[studyDayEnd] ^short = "Study day of the end of the event (--ENDY)"
* extension[epoch] ^short = "Epoch (EPOCH)"
* insert SdtmRecordIdentifier
* status MS
* category MS
* category ^short = "Domain and category (DOMAIN, --CAT, --SCAT)"
* code 1..1 MS
* code ^short = "The event (--DECOD, else --TERM)"
* code.coding MS
* code.text 1..1 MS
* code.text ^short = "The event as text (--DECOD, else --TERM)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* effective[x] 0..1 MS
* effective[x] ^short = "When (--STDTC, or --STDTC to --ENDTC; --DTC)"
* value[x] 0..1 MS
* value[x] ^short = "A value of the event where the domain has one (e.g. --OCCUR as boolean)"

Profile: SdtmSupplementalQualifier
Parent: Observation
Id: sdtm-supplemental-qualifier
Title: "SDTM supplemental qualifier"
Description: "One row of a supplemental qualifiers dataset (SUPP--): the qualifier (QNAM, QLABEL) and its value (QVAL) for the parent record (RDOMAIN, IDVAR, IDVARVAL), which is the resource in focus."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* status MS
* code 1..1 MS
* code ^short = "The qualifier: QNAM as coding, QLABEL as text"
* code.coding MS
* code.coding ^short = "Qualifier variable name (QNAM)"
* code.text MS
* code.text ^short = "Qualifier variable label (QLABEL)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* focus 1..* MS
* focus ^short = "The parent record's resource (RDOMAIN, IDVAR, IDVARVAL)"
* value[x] 1..1 MS
* value[x] only string
* value[x] ^short = "Qualifier value (QVAL)"

Profile: CellTrialMedicalHistory
Parent: Condition
Id: celltrial-medical-history
Title: "CellTrial medical history"
Description: "One SDTM MH record: a condition the subject had before or at study entry. Reported term (MHTERM) with MedDRA codings when given (MHDECOD/MHPTCD, MHLLT/MHLLTCD, MHBODSYS/MHSOC), category (MHCAT), start (MHSTDTC), end (MHENDTC), date of collection (MHDTC), study day and epoch."
* extension contains
    ResearchStudyReference named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[studyDay] ^short = "Study day of the start (MHSTDY, MHDY)"
* extension[studyDayEnd] ^short = "Study day of the end (MHENDY)"
* extension[epoch] ^short = "Epoch (EPOCH)"
* insert SdtmRecordIdentifier
* clinicalStatus MS
* category MS
* category ^short = "Category (MHCAT, MHSCAT)"
* code 1..1 MS
* code ^short = "The condition (MHTERM, MedDRA codings)"
* code.coding MS
* code.coding ^short = "MedDRA codings (system http://terminology.hl7.org/CodeSystem/mdr): preferred term MHPTCD/MHDECOD, lowest level term MHLLTCD/MHLLT, SOC MHSOCCD/MHBODSYS"
* code.text 1..1 MS
* code.text ^short = "Reported term (MHTERM)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* onset[x] MS
* onset[x] only dateTime
* onset[x] ^short = "Start (MHSTDTC)"
* abatement[x] MS
* abatement[x] only dateTime
* abatement[x] ^short = "End (MHENDTC)"
* recordedDate MS
* recordedDate ^short = "Date of collection (MHDTC)"

Profile: CellTrialMedicationStatement
Parent: MedicationStatement
Id: celltrial-medication-statement
Title: "CellTrial concomitant medication"
Description: "One SDTM CM record: a prior or concomitant medication. Reported name (CMTRT, with a code when the terminology translates CMDECOD), indication (CMINDC), dose (CMDOSE, CMDOSU), frequency (CMDOSFRQ), route (CMROUTE), start and end (CMSTDTC, CMENDTC; CMSTDY, CMENDY) and epoch."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[studyDay] ^short = "Study day of the start (CMSTDY)"
* extension[studyDayEnd] ^short = "Study day of the end (CMENDY)"
* extension[epoch] ^short = "Epoch (EPOCH)"
* insert SdtmRecordIdentifier
* status MS
* category MS
* category ^short = "Category (CMCAT)"
* medication[x] only CodeableConcept
* medication[x] MS
* medication[x] ^short = "The medication (CMTRT; coded from CMDECOD when translated)"
* medicationCodeableConcept.text 1..1 MS
* medicationCodeableConcept.text ^short = "Reported name (CMTRT)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* effective[x] MS
* effective[x] ^short = "When (CMSTDTC-CMENDTC)"
* reasonCode MS
* reasonCode ^short = "Indication (CMINDC)"
* dosage MS
* dosage.text MS
* dosage.timing MS
* dosage.timing ^short = "Frequency (CMDOSFRQ) as timing.code.text"
* dosage.route MS
* dosage.route ^short = "Route (CMROUTE)"
* dosage.doseAndRate MS
* dosage.doseAndRate.doseQuantity MS
* dosage.doseAndRate.doseQuantity ^short = "Dose per administration (CMDOSE, CMDOSU)"

Profile: CellTrialStudyVisit
Parent: Encounter
Id: celltrial-study-visit
Title: "CellTrial study visit"
Description: "One SDTM SV record: a visit of the subject (VISITNUM, VISIT), when it took place (SVSTDTC, SVENDTC; SVSTDY, SVENDY)."
* extension contains
    $workflow-researchStudy named researchStudy 1..1 MS and
    SdtmVisit named visit 0..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[visit] ^short = "Visit (VISITNUM, VISIT)"
* extension[studyDay] ^short = "Study day of the start of the visit (SVSTDY)"
* extension[studyDayEnd] ^short = "Study day of the end of the visit (SVENDY)"
* insert SdtmRecordIdentifier
* status MS
* class MS
* type MS
* type ^short = "The visit (VISIT as text)"
* subject 1..1 MS
* subject only Reference(CellTrialPatient)
* period MS
* period ^short = "When (SVSTDTC-SVENDTC)"

Profile: CellTrialStudyElement
Parent: EpisodeOfCare
Id: celltrial-study-element
Title: "CellTrial study element"
Description: "One SDTM SE record: the subject's passage through a trial element (ETCD, ELEMENT), e.g. screening, conditioning, NK cell infusion, follow-up, with its start and end (SESTDTC, SEENDTC; SESTDY, SEENDY) and epoch."
* extension contains
    ResearchStudyReference named researchStudy 1..1 MS and
    SdtmEpoch named epoch 0..1 MS and
    SdtmStudyDay named studyDay 0..1 MS and
    SdtmStudyDayEnd named studyDayEnd 0..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* extension[epoch] ^short = "Epoch (EPOCH)"
* extension[studyDay] ^short = "Study day of the start of the element (SESTDY)"
* extension[studyDayEnd] ^short = "Study day of the end of the element (SEENDY)"
* insert SdtmRecordIdentifier
* status MS
* type MS
* type ^short = "The element: ETCD as coding, ELEMENT as text"
* type.coding MS
* type.text MS
* patient MS
* patient only Reference(CellTrialPatient)
* period MS
* period ^short = "When (SESTDTC-SEENDTC)"

Profile: CellTrialProtocol
Parent: PlanDefinition
Id: celltrial-protocol
Title: "CellTrial protocol (trial design)"
Description: "The planned design of a trial, from the SDTM trial design domains TA (arms), TE (elements) and TV (visits): one action per arm, element or visit, with its name, description and code (ARMCD, ETCD, VISITNUM)."
* extension contains
    DataQualityIssue named dataQualityIssue 0..* MS
* insert IdentifierSlicing
* identifier 1..* MS
* identifier contains studyid 1..1 MS
* identifier[studyid] ^short = "Study identifier (STUDYID)"
* identifier[studyid].system 1..1
* identifier[studyid].system = $SID-STUDYID (exactly)
* identifier[studyid].value 1..1 MS
* status MS
* action MS
* action ^short = "An arm (TA), element (TE) or visit (TV)"
* action.title 1..1 MS
* action.title ^short = "Name: ARM, ELEMENT, VISIT"
* action.description MS
* action.description ^short = "Description: e.g. TE rule (TESTRL, TEENRL), TV start rule (TVSTRL)"
* action.code MS
* action.code ^short = "Code: ARMCD, ETCD, VISITNUM"

Profile: CellTrialEligibility
Parent: Group
Id: celltrial-eligibility
Title: "CellTrial eligibility criteria"
Description: "The inclusion and exclusion criteria of a trial, from SDTM TI: one characteristic per criterion (IETESTCD, IETEST), exclude = true for exclusion criteria (IECAT = EXCLUSION)."
* extension contains
    ResearchStudyReference named researchStudy 1..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* type MS
* actual MS
* actual ^short = "false: the criteria define who may enter, not who entered"
* characteristic MS
* characteristic ^short = "One criterion (TI row)"
* characteristic.code MS
* characteristic.code ^short = "The criterion: IETESTCD as coding, IETEST as text"
* characteristic.code.text 1..1 MS
* characteristic.code.text ^short = "Criterion text (IETEST)"
* characteristic.value[x] MS
* characteristic.exclude MS
* characteristic.exclude ^short = "true for an exclusion criterion (IECAT = EXCLUSION), false for inclusion"

Profile: SdtmRelation
Parent: List
Id: sdtm-relation
Title: "SDTM related records"
Description: "One relationship of SDTM RELREC (RELID): the resources of the related records (RDOMAIN, IDVAR, IDVARVAL) as entries, for one subject (USUBJID) or, for dataset-level relationships, without subject."
* extension contains
    ResearchStudyReference named researchStudy 1..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert SdtmRecordIdentifier
* status MS
* mode MS
* code MS
* code ^short = "The relationship (RELID, RELTYPE) as text"
* subject 0..1 MS
* subject only Reference(CellTrialPatient)
* entry MS
* entry.item MS
* entry.item ^short = "The resource of a related record (RDOMAIN, IDVAR, IDVARVAL)"

Profile: CellTrialDevice
Parent: Device
Id: celltrial-device
Title: "CellTrial device"
Description: "A device of the trial, from SDTM DI (device identifiers): the sponsor device identifier (SPDEVID) and one property per DI row (DIPARMCD, DIPARM, DIVAL)."
* extension contains
    ResearchStudyReference named researchStudy 1..1 MS and
    DataQualityIssue named dataQualityIssue 0..* MS
* extension[researchStudy] ^short = "The trial (STUDYID)"
* extension[researchStudy].valueReference only Reference(CellTrialResearchStudy)
* insert IdentifierSlicing
* identifier 1..* MS
* identifier contains spdevid 1..1 MS
* identifier[spdevid] ^short = "Sponsor device identifier (SPDEVID)"
* identifier[spdevid].system 1..1
* identifier[spdevid].system = $SID-SPDEVID (exactly)
* identifier[spdevid].value 1..1 MS
* property MS
* property ^short = "One device property (DI row)"
* property.type MS
* property.type.text MS
* property.type.text ^short = "Property name (DIPARM; DIPARMCD as coding)"
* property.valueCode MS
* property.valueCode.text MS
* property.valueCode.text ^short = "Property value (DIVAL)"
