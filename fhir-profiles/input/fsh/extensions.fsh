// Extension URLs are fixed by mappings/*.yaml: https://fhir.celltrial.org/StructureDefinition/<Id>

Invariant: sdtm-dy-1
Description: "SDTM study days have no day 0: day 1 is the reference start date, the day before is day -1."
Expression: "value.exists() implies value != 0"
Severity: #error

Extension: SdtmStudyDay
Id: sdtm-study-day
Title: "SDTM study day"
Description: "The SDTM study day of the (start of the) record (--STDY, --DY): day 1 is the subject's reference start date DM.RFSTDTC, which in CellTrial studies is the day of the NK cell infusion; the day before is day -1; there is no day 0."
Context: Procedure, MedicationAdministration, AdverseEvent, Observation
* obeys sdtm-dy-1
* value[x] 1..1
* value[x] only integer

Extension: SdtmStudyDayEnd
Id: sdtm-study-day-end
Title: "SDTM study day of the end"
Description: "The SDTM study day of the end of the record (--ENDY), counted like the start study day (no day 0)."
Context: Procedure, MedicationAdministration, AdverseEvent, Observation
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
