// Identifiers are sliced by system; other identifiers stay allowed (open slicing).
RuleSet: IdentifierSlicing
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "By identifier system"

// The identifier of the SDTM record a resource comes from: {STUDYID}/{USUBJID}/{DOMAIN}/{--SEQ}.
RuleSet: SdtmRecordIdentifier
* insert IdentifierSlicing
* identifier 1..* MS
* identifier contains sdtmRecord 1..1 MS
* identifier[sdtmRecord] ^short = "SDTM record: {STUDYID}/{USUBJID}/{DOMAIN}/{--SEQ}"
* identifier[sdtmRecord].system 1..1
* identifier[sdtmRecord].system = $SID-RECORD (exactly)
* identifier[sdtmRecord].value 1..1
