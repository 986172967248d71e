-- Issue #16: who reads what of an order's history (domain::visibility). `note` stays the
-- whole note, the agency's reading; the landlord, the contractor and the tenant each read
-- their own column where the note holds something not theirs (an amount, the landlord's
-- approval limit, a staff reason), and `note` where their column is NULL.
ALTER TABLE work_order_events ADD COLUMN landlord_note TEXT;
ALTER TABLE work_order_events ADD COLUMN contractor_note TEXT;
ALTER TABLE work_order_events ADD COLUMN tenant_note TEXT;

-- Events written before this were one sentence for everyone: give each party the
-- wording the service now writes for them, without what is not theirs (amounts they may
-- see in the order's own fields are dropped from the old sentences rather than parsed).
UPDATE work_order_events
SET contractor_note = CASE WHEN to_state = 'AwaitingApproval' THEN 'Estimate sent to the landlord for approval'
                           ELSE 'Estimate approved by staff' END,
    tenant_note = CASE WHEN to_state = 'AwaitingApproval' THEN 'Estimate sent to the landlord for approval'
                       ELSE 'Estimate approved by staff' END
WHERE action = 'RequestApproval';
UPDATE work_order_events SET contractor_note = 'Approved.', tenant_note = 'Approved.' WHERE action = 'Approve';
UPDATE work_order_events
SET contractor_note = 'The landlord declined the estimate', tenant_note = 'The landlord declined the estimate'
WHERE action = 'DeclineEstimate';
UPDATE work_order_events
SET contractor_note = split_part(note, ': ', 1), tenant_note = split_part(note, ': ', 1)
WHERE action = 'Reassign' AND strpos(note, ': ') > 0;
UPDATE work_order_events SET landlord_note = '', tenant_note = '' WHERE action = 'Decline';
UPDATE work_order_events SET tenant_note = '' WHERE action IN ('Reopen', 'Close');
UPDATE work_order_events SET tenant_note = substr(note, 1, strpos(note, ' (invoice ') - 1)
WHERE action = 'Complete' AND strpos(note, ' (invoice ') > 0;
