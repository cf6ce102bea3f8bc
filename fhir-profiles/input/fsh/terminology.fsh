// Our own concepts, for things no standard code was found for (shared/reference/README.md). Displays are
// exactly those the mappings write. When a standard code is confirmed, add it to the ConceptMap below
// and to the mapping's translation table; the local code can stay for continuity.
CodeSystem: CellTrialConcepts
Id: celltrial-concepts
Title: "CellTrial concepts"
Description: "Local concepts of the CellTrial FHIR Adapter for cell therapy procedures, products, clinical events, donor types and cell characteristics in pediatric NK-cell / HSCT trials."
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
// procedures (PR)
* #haploidentical-hsct "Haploidentical hematopoietic stem cell transplantation" "Transplantation of hematopoietic stem cells from a half-matched (haploidentical) related donor."
* #hpc-apheresis "Hematopoietic progenitor cell collection by apheresis" "Collection of hematopoietic progenitor cells from peripheral blood by apheresis."
* #nk-cell-infusion "Infusion of natural killer cells" "Intravenous infusion of a natural killer (NK) cell product."
* #lymphodepleting-chemotherapy "Lymphodepleting chemotherapy" "Chemotherapy given to deplete lymphocytes before a cell infusion (e.g. fludarabine and cyclophosphamide)."
* #conditioning-regimen "Conditioning regimen" "Chemotherapy and/or radiotherapy given before a hematopoietic stem cell transplantation."
// products and treatments (EX)
* #nk-cells-il2-expanded-haplo "Ex vivo expanded IL-2 activated haploidentical donor NK cells (CD56+)" "Cell product: CD56+ natural killer cells of a haploidentical donor, expanded and activated ex vivo with interleukin-2."
* #i131-mibg-therapy "Iodine-131 meta-iodobenzylguanidine therapy" "Targeted radiotherapy with iodine-131 meta-iodobenzylguanidine (131I-MIBG, iobenguane I-131)."
// cell product characteristics
* #il2-ex-vivo-stimulation "Ex vivo stimulation with interleukin-2" "The cells were activated / expanded ex vivo with interleukin-2 (IL-2)."
* #cd56-positive "CD56 positive" "Cells selected or counted as CD56 positive (the NK cell dose is given as CD56+ cells per kg of body weight)."
// donor relationship
* #haploidentical-donor "Haploidentical donor" "The cells come from a half-matched (haploidentical) related donor."
* #autologous-donor "Autologous" "The cells come from the patient."
// clinical events (CE)
* #neutrophil-engraftment "Neutrophil engraftment" "First of three consecutive days with an absolute neutrophil count of at least 0.5 x 10^9/L after transplantation."
* #platelet-engraftment "Platelet engraftment" "First of consecutive days with a platelet count of at least 20 x 10^9/L without transfusion after transplantation."
* #disease-relapse "Relapse of the underlying malignancy" "Recurrence of the malignancy the transplantation was performed for."
* #disease-free-1y "Alive and disease-free one year after transplantation" "The subject is alive and free of the underlying malignancy one year after transplantation."

ValueSet: CellTherapyProcedureCodes
Id: celltherapy-procedure-codes
Title: "Cell therapy procedure codes"
Description: "Procedures of cell therapy and transplantation trials (SDTM PR.PRTRT): the CellTrial concepts, the SNOMED CT transplantation codes and the NCI Thesaurus concept Cellular Therapy."
* ^experimental = false
* CellTrialConcepts#haploidentical-hsct
* CellTrialConcepts#hpc-apheresis
* CellTrialConcepts#nk-cell-infusion
* CellTrialConcepts#lymphodepleting-chemotherapy
* CellTrialConcepts#conditioning-regimen
* $SCT#234336002 "Hemopoietic stem cell transplant"
* $SCT#709115004 "Transplantation of autologous hematopoietic stem cell"
* $NCIT#C70601 "Cellular Therapy"

ValueSet: ClinicalEventCodes
Id: clinical-event-codes
Title: "Clinical event codes"
Description: "Clinical events followed in transplantation trials (SDTM CE.CETERM): engraftment, relapse, disease status."
* ^experimental = false
* CellTrialConcepts#neutrophil-engraftment
* CellTrialConcepts#platelet-engraftment
* CellTrialConcepts#disease-relapse
* CellTrialConcepts#disease-free-1y

ValueSet: CtcaeGrades
Id: ctcae-grades
Title: "CTCAE grades"
Description: "The five grades of the NCI Common Terminology Criteria for Adverse Events, as NCI Thesaurus concepts (SDTM AE.AETOXGR 1-5)."
* ^experimental = false
* $NCIT#C41338 "Grade 1 Mild Adverse Event"
* $NCIT#C41339 "Grade 2 Moderate Adverse Event"
* $NCIT#C41340 "Grade 3 Severe Adverse Event"
* $NCIT#C41337 "Grade 4 Life Threatening or Disabling Adverse Event"
* $NCIT#C48275 "Grade 5 Death Related to Adverse Event"

ValueSet: AeCausality
Id: ae-causality
Title: "Adverse event causality"
Description: "Relationship of an adverse event to the study treatment (SDTM AE.AEREL), as NCI Thesaurus concepts."
* ^experimental = false
* $NCIT#C53256 "Not Related"
* $NCIT#C53257 "Unlikely Related"
* $NCIT#C53258 "Possibly Related"
* $NCIT#C53259 "Probably Related"
* $NCIT#C53260 "Definitely Related"

ValueSet: DonorRelationships
Id: donor-relationships
Title: "Donor relationships"
Description: "Where the transplanted or infused cells come from."
* ^experimental = false
* CellTrialConcepts#haploidentical-donor
* CellTrialConcepts#autologous-donor

ValueSet: CellMarkers
Id: cell-markers
Title: "Cell markers"
Description: "Surface markers by which a cell product is selected or its dose is counted."
* ^experimental = false
* CellTrialConcepts#cd56-positive

ValueSet: ExVivoStimulations
Id: ex-vivo-stimulations
Title: "Ex vivo stimulations"
Description: "How a cell product was activated or expanded outside the body."
* ^experimental = false
* CellTrialConcepts#il2-ex-vivo-stimulation

// Where a standard code exists (even a broader one) it is given here, so that it can replace or accompany
// the local code in one place. "unmatched": none was found in public FHIR material yet.
Instance: celltrial-concepts-to-standard
InstanceOf: ConceptMap
Usage: #definition
Title: "CellTrial concepts to standard codes"
* url = "https://fhir.celltrial.org/ConceptMap/celltrial-concepts-to-standard"
* name = "CellTrialConceptsToStandard"
* title = "CellTrial concepts to standard codes"
* status = #draft
* experimental = false
* description = "Maps the local CellTrial concepts to SNOMED CT and NCI Thesaurus codes where one is known. Codes marked unverified in shared/reference/README.md are not used."
* group[0].source = "https://fhir.celltrial.org/CodeSystem/celltrial-concepts"
* group[0].target = "http://snomed.info/sct"
* group[0].element[0].code = #haploidentical-hsct
* group[0].element[0].display = "Haploidentical hematopoietic stem cell transplantation"
* group[0].element[0].target[0].code = #234336002
* group[0].element[0].target[0].display = "Hemopoietic stem cell transplant"
* group[0].element[0].target[0].equivalence = #wider
* group[1].source = "https://fhir.celltrial.org/CodeSystem/celltrial-concepts"
* group[1].target = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
* group[1].element[0].code = #nk-cell-infusion
* group[1].element[0].display = "Infusion of natural killer cells"
* group[1].element[0].target[0].code = #C70601
* group[1].element[0].target[0].display = "Cellular Therapy"
* group[1].element[0].target[0].equivalence = #wider
* group[1].element[1].code = #nk-cells-il2-expanded-haplo
* group[1].element[1].display = "Ex vivo expanded IL-2 activated haploidentical donor NK cells (CD56+)"
* group[1].element[1].target[0].equivalence = #unmatched
* group[1].element[1].target[0].comment = "No standard code for this cell product found yet."
* group[1].element[2].code = #i131-mibg-therapy
* group[1].element[2].display = "Iodine-131 meta-iodobenzylguanidine therapy"
* group[1].element[2].target[0].equivalence = #unmatched
* group[1].element[2].target[0].comment = "No standard code confirmed yet (an RxNorm iobenguane I-131 product code would fit EX)."
* group[1].element[3].code = #lymphodepleting-chemotherapy
* group[1].element[3].display = "Lymphodepleting chemotherapy"
* group[1].element[3].target[0].equivalence = #unmatched
* group[1].element[3].target[0].comment = "No standard code confirmed yet."
* group[1].element[4].code = #il2-ex-vivo-stimulation
* group[1].element[4].display = "Ex vivo stimulation with interleukin-2"
* group[1].element[4].target[0].equivalence = #unmatched
* group[1].element[4].target[0].comment = "No standard code confirmed yet."

// Data quality issues the adapter records on a resource (extension data-quality-issue) and as meta.tag
// (system = this CodeSystem's url) instead of rejecting the record.
CodeSystem: DataQualityIssueTypes
Id: data-quality-issue-type
Title: "Data quality issue types"
Description: "Kinds of data quality issue the CellTrial FHIR Adapter records on a resource it writes, in the extension data-quality-issue and as a meta.tag (system https://fhir.celltrial.org/CodeSystem/data-quality-issue-type), so the resource is kept and the issue can be found."
* ^caseSensitive = true
* ^content = #complete
* ^experimental = false
* #unmapped-term "a source value our terminology does not translate; kept as text" "A source value (an SDTM variable's value) that the adapter's terminology (a ConceptMap or translation table of mappings/) does not translate. The resource is written without the code; the value is kept as text (e.g. CodeableConcept.text) and in the data-quality-issue extension."

ValueSet: DataQualityIssueTypeValues
Id: data-quality-issue-type
Title: "Data quality issue types"
Description: "All codes of the CodeSystem data-quality-issue-type."
* ^experimental = false
* include codes from system DataQualityIssueTypes
