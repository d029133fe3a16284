"""Home visits (家访): head teachers log visits on the phone; everyone in scope sees coverage."""
