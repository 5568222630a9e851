//! Response types of the grant pool, per audience.
