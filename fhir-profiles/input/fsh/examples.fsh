// Valid examples: what the adapter writes for the synthetic demo studies
// (src/main/resources/demo-studies), with the same ids and values. Only meta.profile is added.
// Invalid examples are in ../../examples-invalid (hand-written JSON, outside the IG).

Instance: Study-NKAML-P1
InstanceOf: CellTrialResearchStudy
Title: "Study NKAML-P1 (AML, haploidentical HSCT plus donor NK cells)"
Description: "From TS and DM of nk-aml-haplo."
Usage: #example
* id = "NKAML-P1"
* identifier[studyid].value = "NKAML-P1"
* title = "Donor-derived ex vivo expanded NK cells after haploidentical HSCT in pediatric AML, a phase I pilot study"
* status = #active
* phase = $PHASE#phase-1 "Phase 1"
* phase.text = "PHASE I TRIAL"
* condition[0].text = "High-risk acute myeloid leukemia in pediatric and adolescent patients"
* description = "Study treatment: Ex vivo expanded IL-2 activated haploidentical donor NK cells"
* sponsor.display = "Synthetic Demo Sponsor"
* arm[0].name = "NKHAPLO"
* arm[0].description = "Haploidentical HSCT plus donor NK cells on day +7"

Instance: Study-NKNB-P12
InstanceOf: CellTrialResearchStudy
Title: "Study NKNB-P12 (neuroblastoma, donor NK cells before autologous HSCT)"
Description: "From TS and DM of nk-nb-auto; the trial registry id (TS REGID) is a secondary identifier."
Usage: #example
* id = "NKNB-P12"
* identifier[studyid].value = "NKNB-P12"
* identifier[1].use = #secondary
* identifier[1].type.text = "Trial registry identifier"
* identifier[1].value = "IRCT20140818018842N32"
* title = "Expanded and activated haploidentical NK cell infusion before autologous stem cell transplantation in high-risk neuroblastoma: a phase I/II pilot study"
* status = #active
* phase = $PHASE#phase-1-phase-2 "Phase 1/Phase 2"
* phase.text = "PHASE I/II TRIAL"
* condition[0].text = "High-risk neuroblastoma\nConsolidation with 131I-MIBG, lymphodepletion, NK cells and autologous HSCT"
* description = "Study treatment: Ex vivo expanded IL-2 activated haploidentical donor NK cells"
* sponsor.display = "Synthetic Demo Sponsor"
* arm[0].name = "NKAUTO"
* arm[0].description = "Donor NK cells before autologous HSCT"

Instance: Patient-NKAML-P1-01-001
InstanceOf: CellTrialPatient
Title: "Patient NKAML-P1-01-001"
Description: "From DM of nk-aml-haplo."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001"
* identifier[usubjid].value = "NKAML-P1-01-001"
* gender = #male
* birthDate = "2011-08-14"

Instance: Patient-NKAML-P1-01-002
InstanceOf: CellTrialPatient
Title: "Patient NKAML-P1-01-002 (partial birth date, died)"
Description: "From DM of nk-aml-haplo: BRTHDTC 2007-03, DTHFL Y, DTHDTC 2022-02-16."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-002"
* identifier[usubjid].value = "NKAML-P1-01-002"
* gender = #female
* birthDate = "2007-03"
* deceasedDateTime = "2022-02-16"

Instance: Subject-NKAML-P1-01-001
InstanceOf: CellTrialResearchSubject
Title: "ResearchSubject NKAML-P1-01-001"
Description: "From DM of nk-aml-haplo."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001"
* identifier[usubjid].value = "NKAML-P1-01-001"
* identifier[subjid].value = "001"
* status = #off-study
* period.start = "2021-05-18"
* period.end = "2021-05-18"
* study = Reference(ResearchStudy/NKAML-P1)
* individual = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* assignedArm = "NKHAPLO"
* actualArm = "NKHAPLO"

Instance: Procedure-NKAML-P1-01-001-PR-1
InstanceOf: CellTherapyProcedure
Title: "Haploidentical HSCT of NKAML-P1-01-001"
Description: "From PR of nk-aml-haplo (PRSEQ 1, study day -7)."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-PR-1"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[studyDay].valueInteger = -7
* extension[studyDayEnd].valueInteger = -7
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/PR/1"
* status = #completed
* category.text = "TRANSPLANTATION"
* code.coding[0] = $SCT#234336002 "Hemopoietic stem cell transplant"
* code.coding[1] = CellTrialConcepts#haploidentical-hsct "Haploidentical hematopoietic stem cell transplantation"
* code.text = "HAPLOIDENTICAL HEMATOPOIETIC STEM CELL TRANSPLANTATION"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* performedPeriod.start = "2021-05-11"
* performedPeriod.end = "2021-05-11"

Instance: Procedure-NKAML-P1-01-001-PR-2
InstanceOf: CellTherapyProcedure
Title: "NK cell infusion of NKAML-P1-01-001"
Description: "From PR of nk-aml-haplo (PRSEQ 2, study day 1, with times)."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-PR-2"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[studyDay].valueInteger = 1
* extension[studyDayEnd].valueInteger = 1
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/PR/2"
* status = #completed
* category.text = "CELL THERAPY"
* code.coding[0] = CellTrialConcepts#nk-cell-infusion "Infusion of natural killer cells"
* code.coding[1] = $NCIT#C70601 "Cellular Therapy"
* code.text = "NK CELL INFUSION"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* performedPeriod.start = "2021-05-18T10:30:00Z"
* performedPeriod.end = "2021-05-18T11:05:00Z"

Instance: Procedure-NKNB-P12-01-001-PR-3-donor
InstanceOf: CellTherapyProcedure
Title: "Autologous HSCT of NKNB-P12-01-001, with donor relationship"
Description: "From PR of nk-nb-auto (PRSEQ 3, study day 10), plus the optional donor-relationship extension that the mappings do not produce yet."
Usage: #example
* id = "NKNB-P12-NKNB-P12-01-001-PR-3"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKNB-P12)
* extension[studyDay].valueInteger = 10
* extension[studyDayEnd].valueInteger = 10
* extension[donorRelationship].valueCodeableConcept = CellTrialConcepts#autologous-donor "Autologous"
* identifier[sdtmRecord].value = "NKNB-P12/NKNB-P12-01-001/PR/3"
* status = #completed
* category.text = "TRANSPLANTATION"
* code.coding[0] = $SCT#709115004 "Transplantation of autologous hematopoietic stem cell"
* code.text = "AUTOLOGOUS HEMATOPOIETIC STEM CELL TRANSPLANTATION"
* subject = Reference(Patient/NKNB-P12-NKNB-P12-01-001)
* performedPeriod.start = "2022-02-17"
* performedPeriod.end = "2022-02-17"

Instance: Administration-NKAML-P1-01-001-EX-3
InstanceOf: CellProductAdministration
Title: "NK cell product given to NKAML-P1-01-001"
Description: "From EX of nk-aml-haplo (EXSEQ 3): 1 x 10^6 CD56+ cells/kg, lot NKL-2101."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-EX-3"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[productLot].valueString = "NKL-2101"
* extension[studyDay].valueInteger = 1
* extension[studyDayEnd].valueInteger = 1
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/EX/3"
* status = #completed
* category.text = "CELL THERAPY"
* medicationCodeableConcept = CellTrialConcepts#nk-cells-il2-expanded-haplo "Ex vivo expanded IL-2 activated haploidentical donor NK cells (CD56+)"
* medicationCodeableConcept.text = "HAPLOIDENTICAL NK CELLS"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* effectivePeriod.start = "2021-05-18T10:30:00Z"
* effectivePeriod.end = "2021-05-18T11:05:00Z"
* dosage.route = $SCT#47625008 "Intravenous route"
* dosage.route.text = "INTRAVENOUS"
* dosage.dose.value = 1
* dosage.dose.unit = "10^6 cells/kg"
* dosage.dose.code = #10*6/kg

Instance: Administration-NKAML-P1-01-001-EX-3-full
InstanceOf: CellProductAdministration
Title: "NK cell product with cell marker, stimulation and procedure link"
Description: "The NK cell administration above with the optional extensions the mappings do not produce yet (cell marker CD56+, IL-2 ex vivo stimulation) and partOf the infusion procedure."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-EX-3-full"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[productLot].valueString = "NKL-2101"
* extension[studyDay].valueInteger = 1
* extension[studyDayEnd].valueInteger = 1
* extension[cellMarker].valueCodeableConcept = CellTrialConcepts#cd56-positive "CD56 positive"
* extension[exVivoStimulation].valueCodeableConcept = CellTrialConcepts#il2-ex-vivo-stimulation "Ex vivo stimulation with interleukin-2"
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/EX/3"
* partOf = Reference(Procedure/NKAML-P1-NKAML-P1-01-001-PR-2)
* status = #completed
* category.text = "CELL THERAPY"
* medicationCodeableConcept = CellTrialConcepts#nk-cells-il2-expanded-haplo "Ex vivo expanded IL-2 activated haploidentical donor NK cells (CD56+)"
* medicationCodeableConcept.text = "HAPLOIDENTICAL NK CELLS"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* effectivePeriod.start = "2021-05-18T10:30:00Z"
* effectivePeriod.end = "2021-05-18T11:05:00Z"
* dosage.route = $SCT#47625008 "Intravenous route"
* dosage.route.text = "INTRAVENOUS"
* dosage.dose.value = 1
* dosage.dose.unit = "10^6 cells/kg"
* dosage.dose.code = #10*6/kg

Instance: Administration-NKAML-P1-01-001-EX-1
InstanceOf: CellProductAdministration
Title: "Fludarabine course of NKAML-P1-01-001"
Description: "From EX of nk-aml-haplo (EXSEQ 1): conditioning, 30 mg/m2 daily on study days -13 to -9."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-EX-1"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[studyDay].valueInteger = -13
* extension[studyDayEnd].valueInteger = -9
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/EX/1"
* status = #completed
* category.text = "CONDITIONING"
* medicationCodeableConcept = $RXNORM#1165043 "fludarabine Injectable Product"
* medicationCodeableConcept.text = "FLUDARABINE"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* effectivePeriod.start = "2021-05-05"
* effectivePeriod.end = "2021-05-09"
* dosage.route = $SCT#47625008 "Intravenous route"
* dosage.route.text = "INTRAVENOUS"
* dosage.dose.value = 30
* dosage.dose.unit = "mg/m2"
* dosage.dose.code = #mg/m2

Instance: AdverseEvent-NKAML-P1-01-001-AE-2
InstanceOf: CellTrialAdverseEvent
Title: "Febrile neutropenia of NKAML-P1-01-001"
Description: "From AE of nk-aml-haplo (AESEQ 2): serious, severe, CTCAE grade 3, not related, recovered."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-AE-2"
* extension[endDate].valueDateTime = "2021-05-16"
* extension[ctcaeGrade].valueCodeableConcept = $NCIT#C41340 "Grade 3 Severe Adverse Event"
* extension[ctcaeGrade].valueCodeableConcept.text = "Grade 3"
* extension[studyDay].valueInteger = -5
* extension[studyDayEnd].valueInteger = -2
* identifier.value = "NKAML-P1/NKAML-P1-01-001/AE/2"
* actuality = #actual
* event.text = "Febrile neutropenia"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* date = "2021-05-13"
* seriousness = $AESERIOUS#Serious "Serious"
* severity = $AESEVERITY#severe "Severe"
* outcome.coding[0] = $AEOUTCOME#resolved "Resolved"
* outcome.coding[1] = $NCIT#C49498 "Recovered/Resolved"
* suspectEntity[0].instance.display = "Study treatment"
* suspectEntity[0].causality[0].assessment = $NCIT#C53256 "Not Related"
* suspectEntity[0].causality[0].productRelatedness = "NOT RELATED"
* study[0] = Reference(ResearchStudy/NKAML-P1)

Instance: AdverseEvent-NKAML-P1-01-005-AE-1
InstanceOf: CellTrialAdverseEvent
Title: "Ongoing acute GVHD of NKAML-P1-01-005"
Description: "From AE of nk-aml-haplo (AESEQ 1): serious, grade 3, unlikely related, recovering, no end date yet."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-005-AE-1"
* extension[ctcaeGrade].valueCodeableConcept = $NCIT#C41340 "Grade 3 Severe Adverse Event"
* extension[ctcaeGrade].valueCodeableConcept.text = "Grade 3"
* extension[studyDay].valueInteger = 24
* identifier.value = "NKAML-P1/NKAML-P1-01-005/AE/1"
* actuality = #actual
* event.text = "Acute graft versus host disease"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-005)
* date = "2022-09-22"
* seriousness = $AESERIOUS#Serious "Serious"
* severity = $AESEVERITY#severe "Severe"
* outcome.coding[0] = $AEOUTCOME#recovering "Recovering"
* outcome.coding[1] = $NCIT#C49496 "Recovering/Resolving"
* suspectEntity[0].instance.display = "Study treatment"
* suspectEntity[0].causality[0].assessment = $NCIT#C53257 "Unlikely Related"
* suspectEntity[0].causality[0].productRelatedness = "UNLIKELY RELATED"
* study[0] = Reference(ResearchStudy/NKAML-P1)

Instance: Observation-NKAML-P1-01-001-CE-1
InstanceOf: ClinicalEventObservation
Title: "Neutrophil engraftment of NKAML-P1-01-001"
Description: "From CE of nk-aml-haplo (CESEQ 1, study day 9)."
Usage: #example
* id = "NKAML-P1-NKAML-P1-01-001-CE-1"
* extension[researchStudy].valueReference = Reference(ResearchStudy/NKAML-P1)
* extension[studyDay].valueInteger = 9
* identifier[sdtmRecord].value = "NKAML-P1/NKAML-P1-01-001/CE/1"
* status = #final
* category[0].text = "ENGRAFTMENT"
* code = CellTrialConcepts#neutrophil-engraftment "Neutrophil engraftment"
* code.text = "NEUTROPHIL ENGRAFTMENT"
* subject = Reference(Patient/NKAML-P1-NKAML-P1-01-001)
* effectiveDateTime = "2021-05-26"
* valueBoolean = true

// ---- Wave 2: a synthetic third-party study (CTX-204) with the SDTM domains the adapter maps since issue 13.
// Not a demo study: the values are made up, MedDRA and other codes are given for illustration only.

Instance: Study-CTX-204
InstanceOf: CellTrialResearchStudy
Title: "Study CTX-204 (third-party study, TS rows kept as delivered)"
Description: "Synthetic third-party study: every TS row is kept in trial-summary-parameter, including parameters ResearchStudy has no element for (AGEMIN) and a row without a value (TSVALNF)."
Usage: #example
* id = "CTX-204"
* extension[trialSummaryParameter][0].extension[parameter].valueString = "TPHASE"
* extension[trialSummaryParameter][0].extension[name].valueString = "Trial Phase Classification"
* extension[trialSummaryParameter][0].extension[value].valueString = "PHASE II TRIAL"
* extension[trialSummaryParameter][0].extension[value-code].valueString = "C15601"
* extension[trialSummaryParameter][0].extension[code-system].valueString = "CDISC CT"
* extension[trialSummaryParameter][1].extension[parameter].valueString = "AGEMIN"
* extension[trialSummaryParameter][1].extension[name].valueString = "Planned Minimum Age of Subjects"
* extension[trialSummaryParameter][1].extension[value].valueString = "P2Y"
* extension[trialSummaryParameter][1].extension[code-system].valueString = "ISO 8601"
* extension[trialSummaryParameter][2].extension[parameter].valueString = "PLANSUB"
* extension[trialSummaryParameter][2].extension[name].valueString = "Planned Number of Subjects"
* extension[trialSummaryParameter][2].extension[null-flavor].valueString = "UNK"
* identifier[studyid].value = "CTX-204"
* title = "Synthetic third-party study of NK cells after lymphodepletion in pediatric solid tumours"
* status = #active
* phase = $PHASE#phase-2 "Phase 2"
* phase.text = "PHASE II TRIAL"
* arm[0].name = "NK2"
* arm[0].description = "NK cells 2 x 10^6/kg after lymphodepletion"

Instance: Patient-CTX-204-003-0007
InstanceOf: CellTrialPatient
Title: "Patient CTX-204-003-0007 (age instead of birth date)"
Description: "A DM row without BRTHDTC: AGE 9, AGEU YEARS (extension subject-age), RACE, ETHNIC, COUNTRY."
Usage: #example
* id = "CTX-204-CTX-204-003-0007"
* extension[subjectAge].valueAge = 9 'a' "YEARS"
* extension[race].valueCodeableConcept.text = "ASIAN"
* extension[ethnicity].valueCodeableConcept.text = "NOT HISPANIC OR LATINO"
* identifier[usubjid].value = "CTX-204-003-0007"
* gender = #female
* address.country = "DEU"

Instance: Subject-CTX-204-003-0007
InstanceOf: CellTrialResearchSubject
Title: "ResearchSubject CTX-204-003-0007 (arm descriptions)"
Description: "From DM: ARMCD/ACTARMCD as assignedArm/actualArm, ARM/ACTARM in the extensions sdtm-arm and sdtm-actual-arm."
Usage: #example
* id = "CTX-204-CTX-204-003-0007"
* extension[arm].valueString = "NK cells 2 x 10^6/kg after lymphodepletion"
* extension[actualArmDescription].valueString = "NK cells 2 x 10^6/kg after lymphodepletion"
* identifier[usubjid].value = "CTX-204-003-0007"
* identifier[subjid].value = "0007"
* status = #on-study
* period.start = "2023-04-06"
* study = Reference(ResearchStudy/CTX-204)
* individual = Reference(Patient/CTX-204-CTX-204-003-0007)
* assignedArm = "NK2"
* actualArm = "NK2"

Instance: AdverseEvent-CTX-204-003-0007-AE-1
InstanceOf: CellTrialAdverseEvent
Title: "Febrile neutropenia of CTX-204-003-0007 (MedDRA codings, seriousness criteria)"
Description: "An AE row with MedDRA coding (AEDECOD/AEPTCD and AESOC/AESOCCD; AELLT equals the preferred term here; codes for illustration only), AESER Y with AESHOSP Y, AESLIFE N and AESDTH N, AEACN DOSE NOT CHANGED and EPOCH TREATMENT."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-AE-1"
* extension[seriousnessCriteria].extension[death].valueBoolean = false
* extension[seriousnessCriteria].extension[life-threatening].valueBoolean = false
* extension[seriousnessCriteria].extension[hospitalization].valueBoolean = true
* extension[actionTaken].valueCodeableConcept.text = "DOSE NOT CHANGED"
* extension[epoch].valueString = "TREATMENT"
* extension[ctcaeGrade].valueCodeableConcept = $NCIT#C41340 "Grade 3 Severe Adverse Event"
* extension[ctcaeGrade].valueCodeableConcept.text = "3"
* extension[endDate].valueDateTime = "2023-04-15"
* extension[studyDay].valueInteger = 6
* extension[studyDayEnd].valueInteger = 10
* identifier.value = "CTX-204/CTX-204-003-0007/AE/1"
* actuality = #actual
* event.coding[0] = $MDR#10016288 "Febrile neutropenia"
* event.coding[1] = $MDR#10005329 "Blood and lymphatic system disorders"
* event.text = "FEVER WITH LOW NEUTROPHILS"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* date = "2023-04-11"
* seriousness = $AESERIOUS#Serious "Serious"
* severity = $AESEVERITY#severe "Severe"
* outcome = $AEOUTCOME#resolved "Resolved"
* suspectEntity[0].instance.display = "Study treatment"
* suspectEntity[0].causality[0].assessment = $NCIT#C53257 "Unlikely Related"
* study[0] = Reference(ResearchStudy/CTX-204)

Instance: AdverseEvent-CTX-204-003-0007-AE-2
InstanceOf: CellTrialAdverseEvent
Title: "AE of CTX-204-003-0007 with an untranslated outcome (data quality issue)"
Description: "An AE row whose AEOUT value 'CHRONIC' the ConceptMap sdtm-aeout does not translate: the record is kept without outcome, the value is in the extension data-quality-issue, and the resource is tagged with data-quality-issue-type#unmapped-term."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-AE-2"
* meta.tag = $DQ#unmapped-term
* extension[dataQualityIssue].extension[kind].valueCode = #unmapped-term
* extension[dataQualityIssue].extension[variable].valueString = "AEOUT"
* extension[dataQualityIssue].extension[value].valueString = "CHRONIC"
* extension[dataQualityIssue].extension[translation].valueUri = "https://fhir.celltrial.org/ConceptMap/sdtm-aeout"
* extension[dataQualityIssue].extension[element].valueString = "AdverseEvent.outcome"
* extension[epoch].valueString = "FOLLOW-UP"
* extension[studyDay].valueInteger = 20
* identifier.value = "CTX-204/CTX-204-003-0007/AE/2"
* actuality = #actual
* event.text = "FATIGUE"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* date = "2023-04-25"
* seriousness = $AESERIOUS#Non-serious "Non-serious"
* severity = $AESEVERITY#mild "Mild"
* study[0] = Reference(ResearchStudy/CTX-204)

Instance: Administration-CTX-204-003-0007-EC-2
InstanceOf: CellProductAdministration
Title: "NK cell dose of CTX-204-003-0007 not given (EC, not done)"
Description: "An EC row with ECOCCUR N and ECREASOC FEVER: status not-done and no dosage, which ct-ma-1 allows only for not-done."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-EC-2"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[epoch].valueString = "TREATMENT"
* extension[studyDay].valueInteger = 8
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/EC/2"
* status = #not-done
* statusReason[0].text = "FEVER"
* category.text = "CELL THERAPY"
* medicationCodeableConcept.text = "NK CELLS"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* effectiveDateTime = "2023-04-13"

Instance: Observation-CTX-204-003-0007-LB-12
InstanceOf: SdtmFinding
Title: "Hemoglobin of CTX-204-003-0007 (LB finding)"
Description: "An LB row: LBTEST Hemoglobin with LBLOINC 718-7, standardized result 91 g/L with range 115-155 g/L and LBNRIND LOW, as collected 9.1 g/dL (11.5-15.5), LBSPEC WHOLE BLOOD, VISITNUM 4 (DAY 8), EPOCH TREATMENT, LBDY 8."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-LB-12"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[studyDay].valueInteger = 8
* extension[visit].extension[number].valueDecimal = 4
* extension[visit].extension[name].valueString = "DAY 8"
* extension[epoch].valueString = "TREATMENT"
* extension[originalResult].extension[value].valueString = "9.1"
* extension[originalResult].extension[unit].valueString = "g/dL"
* extension[originalResult].extension[range-low].valueString = "11.5"
* extension[originalResult].extension[range-high].valueString = "15.5"
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/LB/12"
* status = #final
* category[0] = http://terminology.hl7.org/CodeSystem/observation-category#laboratory "Laboratory"
* category[0].text = "HEMATOLOGY"
* code.coding[0] = $LOINC#718-7 "Hemoglobin [Mass/volume] in Blood"
* code.text = "Hemoglobin"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* effectiveDateTime = "2023-04-13T08:30:00Z"
* valueQuantity = 91 'g/L' "g/L"
* interpretation[0] = http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation#L "Low"
* interpretation[0].text = "LOW"
* referenceRange[0].low = 115 'g/L' "g/L"
* referenceRange[0].high = 155 'g/L' "g/L"
* specimen.display = "WHOLE BLOOD"

Instance: Observation-CTX-204-003-0007-DS-2
InstanceOf: SdtmEventObservation
Title: "Disposition of CTX-204-003-0007 (DS event)"
Description: "A DS row: DSDECOD COMPLETED, DSCAT DISPOSITION EVENT, EPOCH FOLLOW-UP, DSSTDY 29."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-DS-2"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[studyDay].valueInteger = 29
* extension[epoch].valueString = "FOLLOW-UP"
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/DS/2"
* status = #final
* category[0].text = "DISPOSITION EVENT"
* code.text = "COMPLETED"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* effectiveDateTime = "2023-05-04"

Instance: Observation-CTX-204-003-0007-SUPPAE-1-AETRTEM
InstanceOf: SdtmSupplementalQualifier
Title: "Treatment-emergent flag of AE 1 of CTX-204-003-0007 (SUPPAE row)"
Description: "A SUPPAE row: RDOMAIN AE, IDVAR AESEQ, IDVARVAL 1, QNAM AETRTEM, QLABEL Treatment Emergent Flag, QVAL Y."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-SUPPAE-1-AETRTEM"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/SUPPAE/AESEQ=1/AETRTEM"
* status = #final
* code.coding[0].code = #AETRTEM
* code.text = "Treatment Emergent Flag"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* focus[0] = Reference(AdverseEvent/CTX-204-CTX-204-003-0007-AE-1)
* valueString = "Y"

Instance: Condition-CTX-204-003-0007-MH-1
InstanceOf: CellTrialMedicalHistory
Title: "Asthma in the medical history of CTX-204-003-0007 (MH)"
Description: "An MH row: MHTERM ASTHMA, MedDRA-coded (codes for illustration only), MHSTDTC 2016, MHENDTC 2021-06, MHDTC 2023-03-28, EPOCH SCREENING."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-MH-1"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[epoch].valueString = "SCREENING"
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/MH/1"
* clinicalStatus = http://terminology.hl7.org/CodeSystem/condition-clinical#resolved "Resolved"
* category[0].text = "GENERAL MEDICAL HISTORY"
* code.coding[0] = $MDR#10003553 "Asthma"
* code.text = "ASTHMA"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* onsetDateTime = "2016"
* abatementDateTime = "2021-06"
* recordedDate = "2023-03-28"

Instance: MedicationStatement-CTX-204-003-0007-CM-3
InstanceOf: CellTrialMedicationStatement
Title: "Paracetamol for fever of CTX-204-003-0007 (CM)"
Description: "A CM row: CMTRT PARACETAMOL, CMINDC FEVER, 250 mg ORAL TID on study days 7 to 9."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-CM-3"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[studyDay].valueInteger = 7
* extension[studyDayEnd].valueInteger = 9
* extension[epoch].valueString = "TREATMENT"
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/CM/3"
* status = #completed
* medicationCodeableConcept.text = "PARACETAMOL"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* effectivePeriod.start = "2023-04-12"
* effectivePeriod.end = "2023-04-14"
* reasonCode[0].text = "FEVER"
* dosage[0].timing.code.text = "TID"
* dosage[0].route.text = "ORAL"
* dosage[0].doseAndRate[0].doseQuantity = 250 'mg' "mg"

Instance: Encounter-CTX-204-003-0007-SV-4
InstanceOf: CellTrialStudyVisit
Title: "Visit DAY 8 of CTX-204-003-0007 (SV)"
Description: "An SV row: VISITNUM 4, VISIT DAY 8, SVSTDTC = SVENDTC 2023-04-13, SVSTDY 8."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-SV-4"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[visit].extension[number].valueDecimal = 4
* extension[visit].extension[name].valueString = "DAY 8"
* extension[studyDay].valueInteger = 8
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/SV/4"
* status = #finished
* class = http://terminology.hl7.org/CodeSystem/v3-ActCode#AMB "ambulatory"
* type[0].text = "DAY 8"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* period.start = "2023-04-13"
* period.end = "2023-04-13"

Instance: EpisodeOfCare-CTX-204-003-0007-SE-3
InstanceOf: CellTrialStudyElement
Title: "Element NK CELL INFUSION of CTX-204-003-0007 (SE)"
Description: "An SE row: ETCD NKINF, ELEMENT NK CELL INFUSION, EPOCH TREATMENT, SESTDTC 2023-04-06 to SEENDTC 2023-05-03, study days 1 to 28."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-SE-3"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* extension[epoch].valueString = "TREATMENT"
* extension[studyDay].valueInteger = 1
* extension[studyDayEnd].valueInteger = 28
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/SE/3"
* status = #finished
* type[0].text = "NK CELL INFUSION"
* patient = Reference(Patient/CTX-204-CTX-204-003-0007)
* period.start = "2023-04-06"
* period.end = "2023-05-03"

Instance: PlanDefinition-CTX-204
InstanceOf: CellTrialProtocol
Title: "Trial design of CTX-204 (TA, TE, TV)"
Description: "The arm NK2 (TA) with its elements (TE) as actions, and the visit DAY 8 (TV)."
Usage: #example
* id = "CTX-204"
* identifier[studyid].value = "CTX-204"
* title = "Trial design of CTX-204"
* status = #active
* action[0].title = "NK cells 2 x 10^6/kg after lymphodepletion"
* action[0].code[0].text = "NK2"
* action[0].action[0].title = "SCREENING"
* action[0].action[0].description = "Start: informed consent. End: 14 days before the NK cell infusion."
* action[0].action[0].code[0].text = "SCRN"
* action[0].action[1].title = "NK CELL INFUSION"
* action[0].action[1].description = "Start: first NK cell infusion. End: 28 days later."
* action[0].action[1].code[0].text = "NKINF"
* action[1].title = "DAY 8"
* action[1].description = "Start: 7 days after the first NK cell infusion."
* action[1].code[0].text = "4"

Instance: Group-CTX-204-TI
InstanceOf: CellTrialEligibility
Title: "Eligibility criteria of CTX-204 (TI)"
Description: "Two TI rows: an inclusion criterion (IECAT INCLUSION) and an exclusion criterion (IECAT EXCLUSION)."
Usage: #example
* id = "CTX-204-TI"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* identifier[sdtmRecord].value = "CTX-204/TI"
* type = #person
* actual = false
* characteristic[0].code.text = "Age 2 to 17 years at enrolment"
* characteristic[0].valueBoolean = true
* characteristic[0].exclude = false
* characteristic[1].code.text = "Active uncontrolled infection"
* characteristic[1].valueBoolean = true
* characteristic[1].exclude = true

Instance: List-CTX-204-003-0007-RELREC-1
InstanceOf: SdtmRelation
Title: "AE 1 and the medication given for it (RELREC of CTX-204-003-0007)"
Description: "A RELREC relationship (RELID 1): AE AESEQ 1 and CM CMSEQ 3."
Usage: #example
* id = "CTX-204-CTX-204-003-0007-RELREC-1"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* identifier[sdtmRecord].value = "CTX-204/CTX-204-003-0007/RELREC/1"
* status = #current
* mode = #snapshot
* code.text = "RELID 1"
* subject = Reference(Patient/CTX-204-CTX-204-003-0007)
* entry[0].item = Reference(AdverseEvent/CTX-204-CTX-204-003-0007-AE-1)
* entry[1].item = Reference(MedicationStatement/CTX-204-CTX-204-003-0007-CM-3)

Instance: Device-CTX-204-APH-01
InstanceOf: CellTrialDevice
Title: "Apheresis device APH-01 of CTX-204 (DI)"
Description: "Two DI rows of SPDEVID APH-01: device type and manufacturer."
Usage: #example
* id = "CTX-204-APH-01"
* extension[researchStudy].valueReference = Reference(ResearchStudy/CTX-204)
* identifier[spdevid].value = "APH-01"
* property[0].type.text = "Device Type"
* property[0].valueCode[0].text = "APHERESIS SYSTEM"
* property[1].type.text = "Manufacturer"
* property[1].valueCode[0].text = "SYNTHETIC DEVICES INC"
