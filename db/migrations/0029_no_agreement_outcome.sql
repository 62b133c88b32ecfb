-- The outcome "no agreement" (協定なし) is stored by its explicit name: the
-- arrangement written 'none' until now (a decided proposal carried out without
-- an agreement) is 'no_agreement', as @desk/tenant-config's arrangementOf says.
UPDATE agreements SET arrangement = 'no_agreement' WHERE arrangement = 'none';
