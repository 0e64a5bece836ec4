;;; The spec's clear cases for mechanisms and relational overlap, in CLIPS.
;;;
;;; The anchor that bench/run.py runs beside the experta rule base: it reads
;;; the same prepared structure (rows, evidence and violence from
;;; diagnose.structure.unit_facts, plus which dyad lies inside which larger
;;; unit) and must reach the same mechanism rows and relational overlaps.
;;; Clear cases 1-5 and 10 of ../shared/spec/fact-files.md, section 3, with the
;;; thresholds of rules/thresholds.py asserted as `threshold` facts.
;;;
;;; diagnose runs experta on one small partition per unit and period, dyads
;;; first, then larger units with the rival dyads inside them, periods in
;;; order. CLIPS indexes its joins (hashed alpha and beta memories), so here
;;; the whole world is asserted into one environment and run once, and that
;;; order comes from salience alone. The strata mirror diagnose.engine.Stratum:
;;; structure, counting, status, breakdown, formal only, variant, not evident,
;;; then overlaps. Every stratum only adds facts or grows a tally, so a lower
;;; stratum sees the final state of the ones above: a dyad's balance of power
;;; (status) is counted into the rivalries of the units around it (counting,
;;; higher) before any of them is found not evident (lower).
;;;
;;; Values: unit ids, row keys, fact ids and periods are STRINGs; mechanisms,
;;; kinds, statuses, variants, unit kinds and dimensions are SYMBOLs; nil
;;; stands for Python's None (no period, no slice, no declaration, no variant).

(defglobal
  ?*structure* = 100
  ?*kinds* = 90
  ?*status* = 80
  ?*breakdown* = 70
  ?*formal* = 60
  ?*variant* = 50
  ?*variant-default* = 45
  ?*not-evident* = 40
  ?*overlaps* = 30)

;;; ---------------------------------------------------------------- input

(deftemplate row
  "One unit, period and slice of practices (diagnose.facttypes.Row)."
  (slot key (type STRING))
  (slot unit (type STRING))
  (slot unit-kind (type SYMBOL) (allowed-symbols region subregion group dyad))
  (slot period)                          ; STRING, or nil when the file has no periods
  (slot dim (type SYMBOL) (allowed-symbols nil sector agency issue))
  (slot value)                           ; STRING, or nil on the row of all practices
  (multislot states (type STRING))
  (slot size (type INTEGER))
  (slot declared))                       ; the declaration's fact id (STRING), nil for dyads

(deftemplate evidence
  "One file entry whose kind counts for a row's mechanism (diagnose.facttypes.Evidence)."
  (slot row (type STRING))
  (slot mechanism (type SYMBOL))
  (slot kind (type SYMBOL))
  (slot id (type STRING))
  (slot rooted (type SYMBOL) (allowed-symbols TRUE FALSE)))

(deftemplate violence
  "War or armed conflict between two states of a unit in a period (diagnose.facttypes.Violence)."
  (slot unit (type STRING))
  (slot period))

(deftemplate period-after
  "`later` immediately follows `earlier`."
  (slot earlier (type STRING))
  (slot later (type STRING)))

(deftemplate within
  "A dyad lies inside a larger unit (region, sub-region or group) of `size` states."
  (slot dyad (type STRING))
  (slot unit (type STRING))
  (slot size (type INTEGER)))

(deftemplate threshold
  (slot name (type SYMBOL))
  (slot value (type NUMBER)))

(deftemplate mechanism
  (slot name (type SYMBOL)))

;;; -------------------------------------------------------------- derived

(deftemplate tally
  "Distinct kinds seen in a row for one mechanism; a kind is rooted if one of its entries is."
  (slot row (type STRING))
  (slot mechanism (type SYMBOL))
  (multislot kinds (type SYMBOL))
  (multislot rooted-kinds (type SYMBOL))
  (multislot unrooted-kinds (type SYMBOL)))

(deftemplate rivalries
  "States of a larger unit's row caught in rival dyads (BoP active between the dyad's two states)."
  (slot row (type STRING))
  (multislot dyads (type STRING))
  (multislot states (type STRING)))

(deftemplate status
  "A mechanism's status in a row: the diagnosis's mechanism rows."
  (slot row (type STRING))
  (slot unit (type STRING))
  (slot unit-kind (type SYMBOL))
  (slot period)
  (slot dim (type SYMBOL))
  (slot value)
  (multislot states (type STRING))
  (slot mechanism (type SYMBOL))
  (slot status (type SYMBOL) (allowed-symbols active formal_only broken_down not_evident))
  (slot variant (type SYMBOL) (allowed-symbols nil adversarial associational) (default nil)))

(deftemplate overlap
  "A relational overlap: a rival dyad inside a wider unit where SC is active."
  (slot type (type SYMBOL))
  (slot dyad (type STRING))
  (slot unit (type STRING))
  (slot period))

(deffunction conclude (?row ?mechanism ?status)
  "Assert the status of ?mechanism in the row fact ?row."
  (assert (status (row (fact-slot-value ?row key))
                  (unit (fact-slot-value ?row unit))
                  (unit-kind (fact-slot-value ?row unit-kind))
                  (period (fact-slot-value ?row period))
                  (dim (fact-slot-value ?row dim))
                  (value (fact-slot-value ?row value))
                  (states (fact-slot-value ?row states))
                  (mechanism ?mechanism)
                  (status ?status))))

(deffunction with-distinct (?set ?items)
  "?set followed by the members of ?items it lacks."
  (foreach ?item ?items
    (if (not (member$ ?item ?set)) then (bind ?set (create$ ?set ?item))))
  ?set)

;;; ------------------------------------------------- counting (the constellation)

(defrule open-tally
  (declare (salience ?*structure*))
  (row (key ?r))
  (mechanism (name ?m))
  (not (tally (row ?r) (mechanism ?m)))
  =>
  (assert (tally (row ?r) (mechanism ?m))))

(defrule tally-kind
  (declare (salience ?*kinds*))
  ?tally <- (tally (row ?r) (mechanism ?m) (kinds $?kinds))
  (evidence (row ?r) (mechanism ?m) (kind ?k&:(not (member$ ?k ?kinds))))
  =>
  (modify ?tally (kinds ?kinds ?k)))

(defrule tally-rooted-kind
  (declare (salience ?*kinds*))
  ?tally <- (tally (row ?r) (mechanism ?m) (rooted-kinds $?rooted))
  (evidence (row ?r) (mechanism ?m) (kind ?k&:(not (member$ ?k ?rooted))) (rooted TRUE))
  =>
  (modify ?tally (rooted-kinds ?rooted ?k)))

(defrule tally-unrooted-kind
  (declare (salience ?*kinds*))
  ?tally <- (tally (row ?r) (mechanism ?m) (unrooted-kinds $?unrooted))
  (evidence (row ?r) (mechanism ?m) (kind ?k&:(not (member$ ?k ?unrooted))) (rooted FALSE))
  =>
  (modify ?tally (unrooted-kinds ?unrooted ?k)))

(defrule open-rivalries
  (declare (salience ?*structure*))
  (row (key ?r) (unit ?u) (unit-kind ~dyad) (period ?p) (dim ?d) (value ?v))
  (within (dyad ?dyad) (unit ?u))
  (status (unit ?dyad) (period ?p) (dim ?d) (value ?v) (mechanism balance_of_power) (status active))
  (not (rivalries (row ?r)))
  =>
  (assert (rivalries (row ?r))))

(defrule count-rival-dyad
  (declare (salience ?*kinds*))
  ?rivalries <- (rivalries (row ?r) (dyads $?counted) (states $?states))
  (row (key ?r) (unit ?u) (period ?p) (dim ?d) (value ?v))
  (within (dyad ?dyad&:(not (member$ ?dyad ?counted))) (unit ?u))
  (status (unit ?dyad) (period ?p) (dim ?d) (value ?v) (mechanism balance_of_power) (status active)
          (states $?pair))
  =>
  (modify ?rivalries (dyads ?counted ?dyad) (states (with-distinct ?states ?pair))))

;;; ---------------------------------------------------- security community

(defrule sc-active
  "Case 1: at least sc_min_kinds distinct rooted SC kinds, and no war or armed conflict inside."
  (declare (salience ?*status*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (tally (row ?r) (mechanism security_community) (rooted-kinds $?rooted))
  (threshold (name sc_min_kinds) (value ?needed&:(>= (length$ ?rooted) ?needed)))
  (not (violence (unit ?u) (period ?p)))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community active))

(defrule sc-broken-down
  "Case 2: SC active in the immediately previous period, and war or armed conflict inside now."
  (declare (salience ?*breakdown*))
  ?row <- (row (key ?r) (unit ?u) (period ?p) (dim ?d) (value ?v))
  (violence (unit ?u) (period ?p))
  (period-after (earlier ?before) (later ?p))
  (status (unit ?u) (period ?before) (dim ?d) (value ?v) (mechanism security_community) (status active))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community broken_down))

(defrule sc-formal-only-unrooted
  "Case 3: not active, and some SC practices are not rooted."
  (declare (salience ?*formal*))
  ?row <- (row (key ?r))
  (tally (row ?r) (mechanism security_community) (unrooted-kinds ? $?))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community formal_only))

(defrule sc-formal-only-at-war
  "Case 3: not active, and SC practices alongside war or armed conflict inside."
  (declare (salience ?*formal*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (tally (row ?r) (mechanism security_community) (kinds ? $?))
  (violence (unit ?u) (period ?p))
  (not (status (row ?r) (mechanism security_community)))
  =>
  (conclude ?row security_community formal_only))

;;; ------------------------------------------------------- balance of power

(defrule bop-active-by-kinds
  "Case 4: at least bop_min_kinds distinct BoP kinds (a dyad's own, or covering a larger unit)."
  (declare (salience ?*status*))
  ?row <- (row (key ?r))
  (tally (row ?r) (mechanism balance_of_power) (kinds $?kinds))
  (threshold (name bop_min_kinds) (value ?needed&:(>= (length$ ?kinds) ?needed)))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active))

(defrule bop-active-by-war
  "Case 4: war or armed conflict between two of the unit's states."
  (declare (salience ?*status*))
  ?row <- (row (key ?r) (unit ?u) (period ?p))
  (violence (unit ?u) (period ?p))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active))

(defrule bop-active-by-rival-dyads
  "Case 4: rival dyads inside a larger unit involve (a bop_dyad_share of) its states."
  (declare (salience ?*status*))
  ?row <- (row (key ?r) (unit-kind ~dyad) (size ?size))
  (rivalries (row ?r) (states $?states))
  (threshold (name bop_dyad_share) (value ?share&:(>= (length$ ?states) (* ?share ?size))))
  (not (status (row ?r) (mechanism balance_of_power)))
  =>
  (conclude ?row balance_of_power active))

(defrule bop-associational
  "Case 4, variant: concert or peace-conference practices among the row's BoP practices."
  (declare (salience ?*variant*))
  ?status <- (status (row ?r) (mechanism balance_of_power) (status active) (variant nil))
  (evidence (row ?r) (mechanism balance_of_power) (kind great_power_concert | peace_conference))
  =>
  (modify ?status (variant associational)))

(defrule bop-adversarial
  "Case 4, variant: otherwise adversarial."
  (declare (salience ?*variant-default*))
  ?status <- (status (mechanism balance_of_power) (status active) (variant nil))
  =>
  (modify ?status (variant adversarial)))

;;; ----------------------------------------------------------- not evident

(defrule not-evident
  "Case 10: on the row of all practices of a declared unit, or of a dyad with some evidence."
  (declare (salience ?*not-evident*))
  ?row <- (row (key ?r) (dim nil) (declared ?declared))
  (tally (row ?r) (mechanism ?m) (kinds $?kinds))
  (test (or (neq ?declared nil) (> (length$ ?kinds) 0)))
  (not (status (row ?r) (mechanism ?m)))
  =>
  (conclude ?row ?m not_evident))

;;; ---------------------------------------------------- relational overlap

(defrule relational-overlap
  "Case 5: a dyad with BoP active inside a wider unit (more than two states) with SC active."
  (declare (salience ?*overlaps*))
  (status (unit ?dyad) (unit-kind dyad) (period ?p) (dim nil) (mechanism balance_of_power) (status active))
  (within (dyad ?dyad) (unit ?container) (size ?size&:(> ?size 2)))
  (status (unit ?container) (period ?p) (dim nil) (mechanism security_community) (status active))
  =>
  (assert (overlap (type relational) (dyad ?dyad) (unit ?container) (period ?p))))
