// Extension URLs are fixed by mappings/*.yaml: https://fhir.celltrial.org/StructureDefinition/<Id>

Invariant: sdtm-dy-1
Description: "SDTM study days have no day 0: day 1 is the reference start date, the day before is day -1."
Expression: "value.exists() implies value != 0"
Severity: #error

Extension: SdtmStudyDay
Id: sdtm-study-day
Title: "SDTM study day"
Description: "The SDTM study day of the (start of the) record (--STDY, --DY): day 1 is the subject's reference start date DM.RFSTDTC, which in CellTrial studies is the day of the NK cell infusion; the day before is day -1; there is no day 0."
Context: Procedure, MedicationAdministration, AdverseEvent, Observation, Condition, MedicationStatement, Encounter, EpisodeOfCare
* obeys sdtm-dy-1
* value[x] 1..1
* value[x] only integer

Extension: SdtmStudyDayEnd
Id: sdtm-study-day-end
Title: "SDTM study day of the end"
Description: "The SDTM study day of the end of the record (--ENDY), counted like the start study day (no day 0)."
Context: Procedure, MedicationAdministration, AdverseEvent, Observation, Condition, MedicationStatement, Encounter, EpisodeOfCare
* obeys sdtm-dy-1
* value[x] 1..1
* value[x] only integer

Extension: CtcaeGrade
Id: ctcae-grade
Title: "CTCAE grade"
Description: "The CTCAE grade of an adverse event (SDTM AE.AETOXGR) as an NCI Thesaurus grade concept. R4 AdverseEvent has no element for it (a gap noted by the HL7 FHIR to CDISC mapping IG)."
Context: AdverseEvent
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from CtcaeGrades (required)

Extension: AeEndDate
Id: ae-end-date
Title: "Adverse event end date"
Description: "When the adverse event resolved or ended (SDTM AE.AEENDTC); may be a partial date. Absent while the event is ongoing. R4 AdverseEvent has no end date."
Context: AdverseEvent
* value[x] 1..1
* value[x] only dateTime

Extension: ProductLot
Id: product-lot
Title: "Product lot"
Description: "The lot (batch) number of the administered product (SDTM EX.EXLOT), e.g. the manufacturing lot of an NK cell product."
Context: MedicationAdministration
* value[x] 1..1
* value[x] only string

Extension: DonorRelationship
Id: donor-relationship
Title: "Donor relationship"
Description: "Where the transplanted or infused cells come from (haploidentical related donor, the patient's own cells). Not produced by the mappings yet."
Context: Procedure
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from DonorRelationships (extensible)

Extension: CellMarker
Id: cell-marker
Title: "Cell marker"
Description: "The surface marker by which the cell product was selected or its dose counted (e.g. CD56+ for NK cells). Not produced by the mappings yet."
Context: MedicationAdministration
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from CellMarkers (extensible)

Extension: ExVivoStimulation
Id: ex-vivo-stimulation
Title: "Ex vivo stimulation"
Description: "How the cell product was activated or expanded before infusion (e.g. with interleukin-2). Not produced by the mappings yet."
Context: MedicationAdministration
* value[x] 1..1
* value[x] only CodeableConcept
* valueCodeableConcept from ExVivoStimulations (extensible)

Extension: MappingVersion
Id: mapping-version
Title: "Mapping version"
Description: "On a Provenance written by the adapter, and on each of its entities: the version (content hash) of the SDTM-to-FHIR mappings (mappings/ folder) that produced the target resources."
Context: Provenance, Provenance.entity
* value[x] 1..1
* value[x] only string

Extension: SourceContentHash
Id: source-content-hash
Title: "Source record content hash"
Description: "On a Provenance entity that is an SDTM source record: the SHA-256 (hex) of the record's content as delivered, so a reader can tell whether a re-delivered record changed."
Context: Provenance.entity
* value[x] 1..1
* value[x] only string

Extension: ProvenanceEntityTarget
Id: provenance-entity-target
Title: "Target produced from this entity"
Description: "On a Provenance entity: the target resource (one of Provenance.target) that was produced from this source record. The adapter writes one Provenance per subject, listing all the subject's resources; this extension says which source record made which resource."
Context: Provenance.entity
* value[x] 1..1
* value[x] only Reference

// ---- Wave 2: every SDTM domain class (issue 13) -----------------------------------------------------

Extension: ResearchStudyReference
Id: research-study
Title: "Research study"
Description: "The trial (STUDYID) a resource belongs to, for the resource types the core extension http://hl7.org/fhir/StructureDefinition/workflow-researchStudy may not be used on in FHIR R4 (its context there: Composition, Consent, DeviceUseStatement, DiagnosticReport, Encounter, FamilyMemberHistory, Immunization, Media, MedicationAdministration, MedicationDispense, MedicationStatement, Observation, Procedure, QuestionnaireResponse, RiskAssessment, SupplyDelivery, Task). Use workflow-researchStudy on those types and this extension only on the types listed here."
Context: Condition, EpisodeOfCare, Group, List, Device
* value[x] 1..1
* value[x] only Reference(ResearchStudy)

Extension: DataQualityIssue
Id: data-quality-issue
Title: "Data quality issue"
Description: "A data quality issue the adapter found in the source record(s) of this resource and did not reject the record for, e.g. a value of an SDTM variable its terminology does not translate (kind unmapped-term: variable AEOUT, value 'CHRONIC', element AdverseEvent.outcome). The resource also carries a meta.tag with system https://fhir.celltrial.org/CodeSystem/data-quality-issue-type and the same code, so that flagged resources can be searched (_tag)."
Context: Patient, ResearchStudy, ResearchSubject, Procedure, MedicationAdministration, AdverseEvent, Observation, Condition, MedicationStatement, Encounter, EpisodeOfCare, PlanDefinition, Group, List, Device
* extension contains
    kind 1..1 MS and
    variable 1..1 MS and
    value 1..1 MS and
    translation 0..1 MS and
    element 0..1 MS
* extension[kind] ^short = "Kind of issue (data-quality-issue-type)"
* extension[kind].value[x] 1..1
* extension[kind].value[x] only code
* extension[kind].value[x] from DataQualityIssueTypeValues (required)
* extension[variable] ^short = "The SDTM variable the value comes from, e.g. AEOUT"
* extension[variable].value[x] 1..1
* extension[variable].value[x] only string
* extension[value] ^short = "The source value as delivered"
* extension[value].value[x] 1..1
* extension[value].value[x] only string
* extension[translation] ^short = "The ConceptMap url or translation name that has no entry for the value"
* extension[translation].value[x] 1..1
* extension[translation].value[x] only uri
* extension[element] ^short = "The FHIR element the code would have gone to, e.g. AdverseEvent.outcome"
* extension[element].value[x] 1..1
* extension[element].value[x] only string

Extension: SubjectAge
Id: subject-age
Title: "Subject age"
Description: "The subject's age at the reference start date (SDTM DM.AGE with its unit DM.AGEU), as a UCUM Age: YEARS = a, MONTHS = mo, WEEKS = wk, DAYS = d. Used when DM gives the age, in particular when it gives no birth date (DM.BRTHDTC is Permissible in SDTMIG). FHIR Age must be positive (age-1): an age of 0 years must be given in a smaller unit."
Context: Patient
* value[x] 1..1
* value[x] only Age

Extension: SdtmRace
Id: sdtm-race
Title: "SDTM race"
Description: "The subject's race as collected in the trial (SDTM DM.RACE, CDISC controlled terminology; the text as delivered, with a code when the terminology translates it). Repeats when several races are reported (SUPPDM RACE1, RACE2, ...)."
Context: Patient
* value[x] 1..1
* value[x] only CodeableConcept

Extension: SdtmEthnicity
Id: sdtm-ethnicity
Title: "SDTM ethnicity"
Description: "The subject's ethnicity as collected in the trial (SDTM DM.ETHNIC, CDISC controlled terminology; the text as delivered, with a code when the terminology translates it)."
Context: Patient
* value[x] 1..1
* value[x] only CodeableConcept

Extension: SdtmArm
Id: sdtm-arm
Title: "SDTM planned arm"
Description: "The description of the subject's planned arm (SDTM DM.ARM). The arm code DM.ARMCD is ResearchSubject.assignedArm."
Context: ResearchSubject
* value[x] 1..1
* value[x] only string

Extension: SdtmActualArm
Id: sdtm-actual-arm
Title: "SDTM actual arm"
Description: "The description of the arm the subject actually followed (SDTM DM.ACTARM). The arm code DM.ACTARMCD is ResearchSubject.actualArm."
Context: ResearchSubject
* value[x] 1..1
* value[x] only string

Extension: AeSeriousnessCriteria
Id: ae-seriousness-criteria
Title: "Adverse event seriousness criteria"
Description: "Why an adverse event is serious: the SDTM AE seriousness flags, each Y = true, N = false (AESDTH, AESLIFE, AESHOSP, AESDISAB, AESCONG, AESMIE, and the older AESCAN, AESOD). The HL7 Adverse Event Clinical Research IG expresses the same as its seriousness-criteria extension."
Context: AdverseEvent
* extension contains
    death 0..1 MS and
    life-threatening 0..1 MS and
    hospitalization 0..1 MS and
    disability 0..1 MS and
    congenital-anomaly 0..1 MS and
    medically-important 0..1 MS and
    cancer 0..1 MS and
    overdose 0..1 MS
* extension[death] ^short = "Results in death (AE.AESDTH)"
* extension[death].value[x] 1..1
* extension[death].value[x] only boolean
* extension[life-threatening] ^short = "Is life threatening (AE.AESLIFE)"
* extension[life-threatening].value[x] 1..1
* extension[life-threatening].value[x] only boolean
* extension[hospitalization] ^short = "Requires or prolongs hospitalization (AE.AESHOSP)"
* extension[hospitalization].value[x] 1..1
* extension[hospitalization].value[x] only boolean
* extension[disability] ^short = "Persistent or significant disability or incapacity (AE.AESDISAB)"
* extension[disability].value[x] 1..1
* extension[disability].value[x] only boolean
* extension[congenital-anomaly] ^short = "Congenital anomaly or birth defect (AE.AESCONG)"
* extension[congenital-anomaly].value[x] 1..1
* extension[congenital-anomaly].value[x] only boolean
* extension[medically-important] ^short = "Other medically important serious event (AE.AESMIE)"
* extension[medically-important].value[x] 1..1
* extension[medically-important].value[x] only boolean
* extension[cancer] ^short = "Involves cancer (AE.AESCAN)"
* extension[cancer].value[x] 1..1
* extension[cancer].value[x] only boolean
* extension[overdose] ^short = "Occurred with overdose (AE.AESOD)"
* extension[overdose].value[x] 1..1
* extension[overdose].value[x] only boolean

Extension: AeActionTaken
Id: ae-action-taken
Title: "Action taken with the study treatment"
Description: "The action taken with the study treatment because of the adverse event (SDTM AE.AEACN, CDISC codelist ACN: DOSE NOT CHANGED, DRUG WITHDRAWN, ...); the text as delivered, with a code when the terminology translates it."
Context: AdverseEvent
* value[x] 1..1
* value[x] only CodeableConcept

Extension: SdtmEpoch
Id: sdtm-epoch
Title: "SDTM epoch"
Description: "The trial epoch the record falls in (SDTM EPOCH, e.g. SCREENING, TREATMENT, FOLLOW-UP)."
Context: Patient, ResearchStudy, ResearchSubject, Procedure, MedicationAdministration, AdverseEvent, Observation, Condition, MedicationStatement, Encounter, EpisodeOfCare, PlanDefinition, Group, List, Device
* value[x] 1..1
* value[x] only string

Extension: SdtmVisit
Id: sdtm-visit
Title: "SDTM visit"
Description: "The planned visit the record belongs to: visit number (SDTM VISITNUM) and visit name (SDTM VISIT). On a protocol (PlanDefinition) action it names the planned visit of trial design dataset TV."
Context: Patient, ResearchStudy, ResearchSubject, Procedure, MedicationAdministration, AdverseEvent, Observation, Condition, MedicationStatement, Encounter, EpisodeOfCare, PlanDefinition, PlanDefinition.action, Group, List, Device
* extension contains
    number 0..1 MS and
    name 0..1 MS
* extension[number] ^short = "Visit number (VISITNUM)"
* extension[number].value[x] 1..1
* extension[number].value[x] only decimal
* extension[name] ^short = "Visit name (VISIT)"
* extension[name].value[x] 1..1
* extension[name].value[x] only string

Extension: OriginalResult
Id: original-result
Title: "Original result"
Description: "An SDTM finding's result as collected, before standardization: result (--ORRES), unit (--ORRESU) and normal range limits (--ORNRLO, --ORNRHI), all as text. The standardized result (--STRESN/--STRESC, --STRESU, --STNRLO/--STNRHI) is in Observation.value[x] and referenceRange."
Context: Observation
* extension contains
    value 0..1 MS and
    unit 0..1 MS and
    range-low 0..1 MS and
    range-high 0..1 MS
* extension[value] ^short = "Result as collected (--ORRES)"
* extension[value].value[x] 1..1
* extension[value].value[x] only string
* extension[unit] ^short = "Unit as collected (--ORRESU)"
* extension[unit].value[x] 1..1
* extension[unit].value[x] only string
* extension[range-low] ^short = "Normal range lower limit as collected (--ORNRLO)"
* extension[range-low].value[x] 1..1
* extension[range-low].value[x] only string
* extension[range-high] ^short = "Normal range upper limit as collected (--ORNRHI)"
* extension[range-high].value[x] 1..1
* extension[range-high].value[x] only string

Extension: TrialSummaryParameter
Id: trial-summary-parameter
Title: "Trial summary parameter"
Description: "One row of SDTM TS (trial summary) as delivered: parameter code (TSPARMCD), parameter name (TSPARM), value (TSVAL), null flavor when there is no value (TSVALNF), coded value (TSVALCD) and the code system of that value (TSVCDREF). Keeps every TS parameter, including those ResearchStudy has no element for (AGEMIN, PLANSUB, ...)."
Context: ResearchStudy
* extension contains
    parameter 1..1 MS and
    name 0..1 MS and
    value 0..1 MS and
    null-flavor 0..1 MS and
    value-code 0..1 MS and
    code-system 0..1 MS
* extension[parameter] ^short = "Parameter short name (TSPARMCD)"
* extension[parameter].value[x] 1..1
* extension[parameter].value[x] only string
* extension[name] ^short = "Parameter name (TSPARM)"
* extension[name].value[x] 1..1
* extension[name].value[x] only string
* extension[value] ^short = "Parameter value (TSVAL)"
* extension[value].value[x] 1..1
* extension[value].value[x] only string
* extension[null-flavor] ^short = "Why there is no value (TSVALNF, e.g. NA, UNK)"
* extension[null-flavor].value[x] 1..1
* extension[null-flavor].value[x] only string
* extension[value-code] ^short = "Coded parameter value (TSVALCD)"
* extension[value-code].value[x] 1..1
* extension[value-code].value[x] only string
* extension[code-system] ^short = "Code system of the coded value (TSVCDREF, e.g. CDISC CT, SNOMED, UNII)"
* extension[code-system].value[x] 1..1
* extension[code-system].value[x] only string
