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
